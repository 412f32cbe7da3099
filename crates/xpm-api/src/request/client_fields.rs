//! The fields `client.api/add` and `client.api/update` share, declared once.
//!
//! Xero's documentation gives update as "the add fields with the client's UUID, without
//! contacts", in the same element order, with `<Contacts>` of an add between
//! `AccountManagerUUID` and `BillingClientUUID`. [`client_request!`] writes a request type with
//! the type's own leading fields, then the shared ones, with the add's contacts in their place.

/// Declares a client request body: `$head` fields first (the update's `UUID`), then the shared
/// client fields, with `contacts { … }` (empty for update) after `AccountManagerUUID`.
macro_rules! client_request {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
                $($head:tt)*
        }
        contacts { $($contacts:tt)* }
    ) => {
        xpm_request! {
                $(#[$meta])*
            pub struct $name {
                $($head)*
                /// Display name (required to add a client).
                name: String = value "Name",
                /// Email.
                email: String = value "Email",
                /// Street address.
                address: String = value "Address",
                /// City.
                city: String = value "City",
                /// Region.
                region: String = value "Region",
                /// Post code.
                post_code: String = value "PostCode",
                /// Country.
                country: String = value "Country",
                /// Postal address.
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
                /// Website (`WebSite` in requests).
                web_site: String = value "WebSite",
                /// Referral source.
                referral_source: String = value "ReferralSource",
                /// Export code.
                export_code: String = value "ExportCode",
                /// Whether the client is a prospect (OpenAPI only).
                is_prospect: $crate::value::YesNo = value "IsProspect",
                /// Account manager (staff UUID).
                account_manager_uuid: $crate::value::Uuid = value "AccountManagerUUID",
                $($contacts)*
                /// The client billed for this one.
                billing_client_uuid: $crate::value::Uuid = value "BillingClientUUID",
                /// Legal first name (individuals).
                first_name: String = value "FirstName",
                /// Middle name (individuals; OpenAPI only).
                middle_name: String = value "MiddleName",
                /// Legal last name (individuals).
                last_name: String = value "LastName",
                /// Other name (individuals).
                other_name: String = value "OtherName",
                /// Title (OpenAPI only).
                title: String = value "Title",
                /// Gender (OpenAPI only).
                gender: String = value "Gender",
                /// Date of birth (individuals). XPM documents no format; `yyyy-MM-dd`, as `get` returns
                /// it, is the safe choice.
                date_of_birth: $crate::value::XpmDate = value "DateOfBirth",
                /// Date of death (OpenAPI only).
                date_of_death: $crate::value::XpmDate = value "DateOfDeath",
                /// City of birth (OpenAPI only).
                place_of_birth_city: String = value "PlaceOfBirthCity",
                /// Country code of birth (OpenAPI only).
                place_of_birth_country_code: String = value "PlaceOfBirthCountryCode",
                /// Job manager (staff UUID).
                job_manager_uuid: $crate::value::Uuid = value "JobManagerUUID",
                /// Tax number.
                tax_number: String = value "TaxNumber",
                /// Company number.
                company_number: String = value "CompanyNumber",
                /// Business number.
                business_number: String = value "BusinessNumber",
                /// Branch number (OpenAPI only).
                branch_number: String = value "BranchNumber",
                /// Business structure, by its name in XPM admin.
                business_structure: String = value "BusinessStructure",
                /// Balance month as text: `Jan` or `1`, `Feb` or `2`, ...
                balance_month: String = value "BalanceMonth",
                /// The practice prepares GST returns.
                prepare_gst: $crate::value::YesNo = value "PrepareGST",
                /// Registered for GST.
                gst_registered: $crate::value::YesNo = value "GSTRegistered",
                /// GST period in months: 1, 2 or 6.
                gst_period: i32 = value "GSTPeriod",
                /// GST basis: Invoice, Payment, Hybrid.
                gst_basis: String = value "GSTBasis",
                /// Provisional tax basis: Standard Option, Estimate Option, Ratio Option.
                provisional_tax_basis: String = value "ProvisionalTaxBasis",
                /// Provisional tax ratio.
                provisional_tax_ratio: $crate::value::Decimal = value "ProvisionalTaxRatio",
                /// Signed tax authority (NZ).
                signed_tax_authority: $crate::value::YesNo = value "SignedTaxAuthority",
                /// Tax agent, by its name in XPM admin (NZ).
                tax_agent: String = value "TaxAgent",
                /// Agency status: With EOT, Without EOT, Unlinked (NZ).
                agency_status: String = value "AgencyStatus",
                /// Return type: IR3, IR3NR, IR4, IR6, IR7, IR9, PTS (NZ).
                return_type: String = value "ReturnType",
                /// The practice prepares activity statements (AU).
                prepare_activity_statement: $crate::value::YesNo = value "PrepareActivityStatement",
                /// The practice prepares tax returns (AU).
                prepare_tax_return: $crate::value::YesNo = value "PrepareTaxReturn",
                /// AutoBAS opt-in (AU; OpenAPI only).
                auto_bas_opt_in_criteria: $crate::model::AutoBasOptInCriteria = record "AutoBasOptInCriteria",
                /// Active ATO client (AU; OpenAPI only).
                active_ato_client: $crate::value::YesNo = value "ActiveAtoClient",
                /// Client code (OpenAPI only).
                client_code: String = value "ClientCode",
            }
        }
    };
}
