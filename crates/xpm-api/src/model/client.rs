//! Clients (`client.api`): one type for every shape XPM returns.
//!
//! `list` items, `paged-list` items (a reduced shape) and the detailed shape of `get` and
//! `list?detailed=true` all decode to [`Client`]; fields an endpoint does not send are `None`.
//! Fields are declared in the order real XPM 3.1 responses use, which is the order they are
//! written in.

use super::common::{NamedRef, Note};
use super::contact::Contact;
use crate::value::{Decimal, Uuid, XpmDate, YesNo};

xpm_record! {
    /// A client of the practice. JSON: `ClientDetailedDto` (and `ClientBaseDto` for paged lists).
    pub struct Client {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Display name.
        name: String = value "Name",
        /// Title, e.g. Mr (AU tax-enabled practices, individuals).
        title: String = value "Title",
        /// Gender (AU tax-enabled practices, individuals).
        gender: String = value "Gender",
        /// First name (individuals).
        first_name: String = value "FirstName",
        /// Middle name (individuals).
        middle_name: String = value "MiddleName",
        /// Last name (individuals).
        last_name: String = value "LastName",
        /// Other name (individuals).
        other_name: String = value "OtherName",
        /// Email address.
        email: String = value "Email",
        /// Date of birth (individuals), `yyyy-MM-dd` on get.
        date_of_birth: XpmDate = value "DateOfBirth",
        /// Date of death (individuals).
        date_of_death: XpmDate = value "DateOfDeath",
        /// City of birth.
        place_of_birth_city: String = value "PlaceOfBirthCity",
        /// Country code of birth.
        place_of_birth_country_code: String = value "PlaceOfBirthCountryCode",
        /// Street address; may span lines.
        address: String = value "Address",
        /// City.
        city: String = value "City",
        /// Region or state.
        region: String = value "Region",
        /// Post code.
        post_code: String = value "PostCode",
        /// Country.
        country: String = value "Country",
        /// Postal address; may span lines.
        postal_address: String = value "PostalAddress",
        /// Postal city.
        postal_city: String = value "PostalCity",
        /// Postal region.
        postal_region: String = value "PostalRegion",
        /// Postal post code.
        postal_post_code: String = value "PostalPostCode",
        /// Postal country.
        postal_country: String = value "PostalCountry",
        /// Phone.
        phone: String = value "Phone",
        /// Fax.
        fax: String = value "Fax",
        /// Website (`Website` in responses; requests spell it `WebSite`).
        website: String = value "Website",
        /// How the client found the practice.
        referral_source: String = value "ReferralSource",
        /// Code used when exporting to the ledger.
        export_code: String = value "ExportCode",
        /// Industry.
        industry: String = value "Industry",
        /// Whether the client is a prospect.
        is_prospect: YesNo = value "IsProspect",
        /// Whether the client is archived; `list` includes archived clients.
        is_archived: YesNo = value "IsArchived",
        /// Whether the client is deleted; `list` includes deleted clients.
        is_deleted: YesNo = value "IsDeleted",
        /// Account manager (the XPM UI calls this role "Partner").
        account_manager: NamedRef = record "AccountManager",
        /// Job manager (the XPM UI calls this role "Manager").
        job_manager: NamedRef = record "JobManager",
        /// Client type with its billing terms.
        #[serde(rename = "type")]
        client_type: ClientType = record "Type",
        /// The client that is billed for this one.
        billing_client: NamedRef = record "BillingClient",
        /// Tax file number / IRD number, masked by XPM to the last three digits (`******123`).
        tax_number: String = value "TaxNumber",
        /// Company number.
        company_number: String = value "CompanyNumber",
        /// Business number (ABN / NZBN).
        business_number: String = value "BusinessNumber",
        /// Branch number.
        branch_number: String = value "BranchNumber",
        /// Business structure, e.g. Individual, Company, Trust.
        business_structure: String = value "BusinessStructure",
        /// Balance month, 1–12.
        balance_month: i32 = value "BalanceMonth",
        /// Registered for GST.
        #[serde(rename = "gstRegistered")]
        gst_registered: YesNo = value "GSTRegistered",
        /// The practice prepares GST returns.
        #[serde(rename = "prepareGst")]
        prepare_gst: YesNo = value "PrepareGST",
        /// GST period as text: Monthly, 2 Monthly, 6 Monthly.
        #[serde(rename = "gstPeriod")]
        gst_period: String = value "GSTPeriod",
        /// GST basis: Invoice, Payment, Hybrid.
        #[serde(rename = "gstBasis")]
        gst_basis: String = value "GSTBasis",
        /// Provisional tax basis (NZ).
        provisional_tax_basis: String = value "ProvisionalTaxBasis",
        /// Provisional tax ratio (NZ).
        provisional_tax_ratio: Decimal = value "ProvisionalTaxRatio",
        /// Signed tax authority (NZ).
        signed_tax_authority: YesNo = value "SignedTaxAuthority",
        /// Tax agent (NZ).
        tax_agent: String = value "TaxAgent",
        /// Agency status: With EOT, Without EOT, Unlinked (NZ).
        agency_status: String = value "AgencyStatus",
        /// Return type, e.g. IR3 (NZ).
        return_type: String = value "ReturnType",
        /// The practice prepares activity statements (AU).
        prepare_activity_statement: YesNo = value "PrepareActivityStatement",
        /// The practice prepares tax returns (AU).
        prepare_tax_return: YesNo = value "PrepareTaxReturn",
        /// AutoBAS opt-in (AU).
        auto_bas_opt_in_criteria: AutoBasOptInCriteria = record "AutoBasOptInCriteria",
        /// Bank BSB.
        bank_bsb: String = value "BankBSB",
        /// Bank account name.
        bank_account_name: String = value "BankAccountName",
        /// Bank account number.
        bank_account_number: String = value "BankAccountNumber",
        /// Bank name.
        bank_name: String = value "BankName",
        /// Active ATO client (AU).
        active_ato_client: YesNo = value "ActiveAtoClient",
        /// Client code.
        client_code: String = value "ClientCode",
        /// Contacts, with their per-client position and primary flag.
        contacts: Contact = list "Contacts" "Contact",
        /// Notes (detailed shape).
        notes: Note = list "Notes" "Note",
        /// Groups the client belongs to (detailed shape).
        groups: NamedRef = list "Groups" "Group",
        /// Relationships to other clients (detailed shape).
        relationships: Relationship = list "Relationships" "Relationship",
        /// Link to the client in the XPM web app.
        web_url: String = value "WebUrl",
    }
}

xpm_record! {
    /// A client type and its billing terms. JSON: `ClientTypeDto`.
    pub struct ClientType {
        /// Type name.
        name: String = value "Name",
        /// Cost mark-up percentage.
        cost_markup: Decimal = value "CostMarkup",
        /// DayOfMonth or WithinDays.
        payment_term: String = value "PaymentTerm",
        /// Day for the payment term.
        payment_day: i32 = value "PaymentDay",
    }
}

xpm_record! {
    /// AutoBAS opt-in criteria (AU). JSON: `AutoBasOptInCriteriaDto`.
    pub struct AutoBasOptInCriteria {
        /// Annually.
        annually: YesNo = value "Annually",
        /// Monthly.
        monthly: YesNo = value "Monthly",
        /// Quarterly.
        quarterly: YesNo = value "Quarterly",
        /// Opted out (`Opt-Out` in XML, `opt-out` in JSON).
        #[serde(rename = "opt-out")]
        opt_out: YesNo = value "Opt-Out",
    }
}

xpm_record! {
    /// A relationship from one client to another. JSON: `ClientRelationshipDto`.
    pub struct Relationship {
        /// Identifier.
        uuid: Uuid = value "UUID",
        /// Director, Shareholder, Trustee, Beneficiary, Partner, ...
        #[serde(rename = "type")]
        relationship_type: String = value "Type",
        /// The other client.
        related_client: NamedRef = record "RelatedClient",
        /// Shares held (Shareholder and Owner relationships).
        number_of_shares: i32 = value "NumberOfShares",
        /// Percentage (Partner relationships).
        percentage: Decimal = value "Percentage",
        /// Start date, `yyyy-MM-dd`.
        start_date: XpmDate = value "StartDate",
        /// End date, `yyyy-MM-dd`.
        end_date: XpmDate = value "EndDate",
    }
}
