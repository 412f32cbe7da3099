//! Word lists the generator draws from.
//!
//! They mix the names an Australian, New Zealand or British practice really sees: accented
//! European names, Māori names with macrons, Chinese, Vietnamese and Korean names, and the odd
//! apostrophe, so that a decoder meets every kind of UTF-8 a real tenant holds.

/// Given names; a few in Chinese characters, whose holders usually also carry an English name.
#[rustfmt::skip]
pub(super) const FIRST_NAMES: &[&str] = &[
    "Olivia", "Jack", "Charlotte", "Noah", "Amelia", "William", "Isla", "Oliver", "Mia", "Thomas",
    "Grace", "James", "Ruby", "Lachlan", "Chloe", "Liam", "Sophie", "Henry", "Emily", "Samuel",
    "Matilda", "Harrison", "Zoë", "Benjamin", "Harper", "Joshua", "Ava", "Ethan", "Lily", "Daniel",
    "Aroha", "Tāne", "Mere", "Wiremu", "Ngaio", "Rāwiri", "Hēmi", "Kahurangi", "Mānia", "Tamati",
    "José", "Renée", "Zoé", "Søren", "Björn", "Siobhán", "Niamh", "Seán", "François", "Dvořák",
    "Anh", "Minh", "Thu", "Jae-won", "Min-ji", "Priya", "Arjun", "Aisha", "Mohammed", "Fatima",
    "Wei", "Mei", "Jun", "Li", "伟", "芳", "娜", "静", "Kiri", "Moana",
];

/// Family names.
#[rustfmt::skip]
pub(super) const LAST_NAMES: &[&str] = &[
    "Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Johnson", "White", "Martin",
    "Anderson", "Thompson", "Nguyen", "Thomas", "Walker", "Harris", "Lee", "Ryan", "Robinson",
    "Kelly", "King", "O'Brien", "O'Connor", "McDonald", "MacKenzie", "Fitzgerald", "Campbell",
    "Stewart", "Murray", "Ngata", "Te Whata", "Parata", "Tūhoe", "Waititi", "Hēnare", "Tāwhiri",
    "Rangi", "Kereama", "Müller", "García", "Nguyễn", "Trần", "Lê", "Phạm", "Kowalski", "Đặng",
    "Öztürk", "Sørensen", "Núñez", "Böhm", "Chen", "Wang", "Zhang", "Liu", "Kim", "Park", "Patel",
    "Singh", "Sharma", "Khan", "王", "李", "张", "刘", "Papadopoulos", "Rossi", "Bianchi",
    "Van der Merwe", "De Silva",
];

/// Titles for individuals.
pub(super) const TITLES: &[&str] = &["Mr", "Mrs", "Ms", "Miss", "Dr", "Mx"];

/// Words for trading names.
#[rustfmt::skip]
pub(super) const BUSINESS_WORDS: &[&str] = &[
    "Harbour", "Southern Cross", "Kōwhai", "Pōhutukawa", "Tūī", "Blue Gum", "Wattle", "Coastal",
    "Thames", "Pennine", "Highland", "Riverside", "Ironbark", "Silver Fern", "Kauri", "Matariki",
    "Summit", "Redgum", "Bayview", "Northern", "Golden Plains", "Manukau", "Waikato", "Canterbury",
    "Yarra", "Hawthorn", "Cotswold", "Café Lumière", "Crème", "Nordström", "Ōtautahi", "Tōtara",
];

/// What a company does, for trading names.
#[rustfmt::skip]
pub(super) const BUSINESS_TRADES: &[&str] = &[
    "Plumbing", "Electrical", "Construction", "Dental", "Physiotherapy", "Vineyards", "Dairy",
    "Consulting", "Logistics", "Bakery", "Landscaping", "Engineering", "Architecture", "Motors",
    "Hospitality", "Imports", "Property", "Investments", "Holdings", "Design", "Legal", "Medical",
];

/// Company suffixes per country: AU, NZ, UK.
pub(super) const COMPANY_SUFFIXES: [&[&str]; 3] =
    [&["Pty Ltd", "Pty Limited"], &["Limited", "Ltd"], &["Ltd", "Limited", "LLP", "PLC"]];

/// Street names.
#[rustfmt::skip]
pub(super) const STREETS: &[&str] = &[
    "George", "Pitt", "Collins", "Bourke", "Queen", "King", "Victoria", "Albert", "Elizabeth",
    "Kōwhai", "Pōhutukawa", "Rātā", "Karangahape", "Ponsonby", "Cuba", "Lambton", "Colombo", "High",
    "Church", "Station", "Mill", "Park", "Oxford", "Cambridge", "St John's", "Marine", "Beach",
    "Old Town", "Wattle", "Banksia", "Jacaranda", "Te Atatū", "Ōtāhuhu",
];

/// Street types.
pub(super) const STREET_TYPES: &[&str] =
    &["Street", "Road", "Avenue", "Lane", "Drive", "Crescent", "Place", "Terrace", "Parade", "Way", "Close"];

/// A city with its region and the first digits or letters of its post codes.
#[derive(Debug, Clone, Copy)]
pub(super) struct City {
    pub(super) name: &'static str,
    pub(super) region: &'static str,
    pub(super) post_code: &'static str,
}

/// Cities per country: AU, NZ, UK.
pub(super) const CITIES: [&[City]; 3] = [
    &[
        City { name: "Sydney", region: "NSW", post_code: "20" },
        City { name: "Parramatta", region: "NSW", post_code: "21" },
        City { name: "Newcastle", region: "NSW", post_code: "23" },
        City { name: "Melbourne", region: "VIC", post_code: "30" },
        City { name: "Geelong", region: "VIC", post_code: "32" },
        City { name: "Brisbane", region: "QLD", post_code: "40" },
        City { name: "Gold Coast", region: "QLD", post_code: "42" },
        City { name: "Adelaide", region: "SA", post_code: "50" },
        City { name: "Perth", region: "WA", post_code: "60" },
        City { name: "Hobart", region: "TAS", post_code: "70" },
        City { name: "Darwin", region: "NT", post_code: "08" },
        City { name: "Canberra", region: "ACT", post_code: "26" },
    ],
    &[
        City { name: "Auckland", region: "Auckland", post_code: "10" },
        City { name: "Manukau", region: "Auckland", post_code: "21" },
        City { name: "Hamilton", region: "Waikato", post_code: "32" },
        City { name: "Tauranga", region: "Bay of Plenty", post_code: "31" },
        City { name: "Wellington", region: "Wellington", post_code: "60" },
        City { name: "Christchurch", region: "Canterbury", post_code: "80" },
        City { name: "Dunedin", region: "Otago", post_code: "90" },
        City { name: "Whangārei", region: "Northland", post_code: "01" },
        City { name: "Ōtaki", region: "Wellington", post_code: "55" },
    ],
    &[
        City { name: "London", region: "Greater London", post_code: "EC" },
        City { name: "Manchester", region: "Greater Manchester", post_code: "M" },
        City { name: "Birmingham", region: "West Midlands", post_code: "B" },
        City { name: "Leeds", region: "West Yorkshire", post_code: "LS" },
        City { name: "Edinburgh", region: "Scotland", post_code: "EH" },
        City { name: "Bristol", region: "Bristol", post_code: "BS" },
        City { name: "Cardiff", region: "Wales", post_code: "CF" },
    ],
];

/// Country names as XPM shows them: AU, NZ, UK.
pub(super) const COUNTRIES: [&str; 3] = ["Australia", "New Zealand", "United Kingdom"];

/// Suburb or locality lines that New Zealand and British addresses carry.
#[rustfmt::skip]
pub(super) const LOCALITIES: &[&str] = &[
    "Ponsonby", "Grey Lynn", "Te Aro", "Riccarton", "Mount Maunganui", "Karori", "Ōrākei",
    "Shoreditch", "Clifton", "Headingley", "Leith", "Didsbury", "Roath", "Remuera", "Onehunga",
];

/// Where clients heard of the practice; empty most often.
pub(super) const REFERRAL_SOURCES: &[&str] =
    &["", "", "", "Website", "Existing client", "Google", "Referral – Bank", "Seminar", "Word of mouth"];

/// Banks.
pub(super) const BANKS: &[&str] =
    &["Commonwealth Bank", "Westpac", "ANZ", "NAB", "ASB", "BNZ", "Kiwibank", "Barclays", "HSBC", "Macquarie"];

/// A contact's position at a company or trust.
#[rustfmt::skip]
pub(super) const POSITIONS: &[&str] = &[
    "Director", "Managing Director", "Bookkeeper", "Accounts Payable", "Office Manager", "CFO",
    "Trustee", "Company Secretary", "Payroll Officer", "Owner", "Financial Controller", "Partner",
];

/// A contact's position when the client is a person.
pub(super) const FAMILY_POSITIONS: &[&str] = &["", "Spouse", "Partner", "Son", "Daughter", "Executor", "Attorney"];

/// Client groups a practice keeps.
#[rustfmt::skip]
pub(super) const GROUP_NAMES: &[&str] = &[
    "Family Group", "Company Group", "BAS Quarterly", "BAS Monthly", "Tax Pool A", "Tax Pool B",
    "SMSF Clients", "Payroll", "Bookkeeping", "Audit", "High Net Worth", "Rural & Farming",
    "Medical & Dental", "Hospitality", "Construction", "Not-for-profit", "Start-ups", "Property",
    "Māori Trusts", "Late Lodgers", "Xero Migration", "Advisory", "Year-End June", "Year-End March",
];

/// Note folders; empty most often.
pub(super) const NOTE_FOLDERS: &[&str] = &["", "", "", "Tax", "Correspondence", "Billing", "Compliance"];

/// Note titles.
#[rustfmt::skip]
pub(super) const NOTE_TITLES: &[&str] = &[
    "Payment Arrangement made", "Phone call", "Meeting notes", "Engagement letter sent",
    "ATO correspondence", "IRD correspondence", "HMRC letter", "Year-end checklist",
    "Change of address", "Fee discussion", "BAS query", "GST registration", "Director change",
    "Trust deed received", "Records outstanding", "Follow-up <urgent>", "Q&A with client",
];

/// Sentences that note bodies are built from; some need escaping or hold non-Latin text.
#[rustfmt::skip]
pub(super) const NOTE_SENTENCES: &[&str] = &[
    "Spoke to client who will pay the outstanding amounts in the next few days.",
    "Client asked whether the home office deduction still applies after moving to the new premises.",
    "Sent reminder about the overdue activity statement & the penalty notice.",
    "Agreed fee of $1,250 + GST for the year-end accounts; invoice to follow.",
    "Bank statements for March–June still outstanding; chased by email.",
    "Director confirmed the dividend of < $5,000 will be declared before 30 June.",
    "Client said \"we'll sort it out after the holidays\" – follow up in January.",
    "Trust distribution minutes signed and filed.",
    "Kia ora – whānau meeting held at the marae, trustees all present.",
    "Client's accountant in Auckland will send the FBT workpapers.",
    "Payroll is now run in Xero; STP phase 2 enabled.",
    "Discussed Division 7A loan repayments and the minimum yearly repayment.",
    "Moved to quarterly GST; first return due 28 February.",
    "Asked for the settlement statement for the rental property sale.", "客户要求用中文发送报税资料。",
    "Great chat, client very happy with the new dashboard 🙂",
    "Left voicemail; will try again Thursday.",
    "Received ASIC annual review fee notice; forwarded to the client for payment.",
    "Client is travelling overseas until October, contact the bookkeeper instead.",
    "Updated the super fund's investment strategy as discussed with both trustees.",
];

/// Client types with their mark-up (in hundredths of a percent), payment term and day.
pub(super) const CLIENT_TYPES: &[(&str, i64, &str, i32)] = &[
    ("Standard", 0, "DayOfMonth", 20),
    ("Monthly Retainer", 500, "WithinDays", 14),
    ("Premium", 1250, "WithinDays", 7),
    ("Not-for-profit", 0, "WithinDays", 30),
    ("Payroll & Bookkeeping", 725, "DayOfMonth", 15),
    ("Tax Only", 1000, "WithinDays", 21),
];

/// Staff names for the practice's account and job managers.
pub(super) const STAFF_FIRST_NAMES: &[&str] = &[
    "Sarah", "Michael", "Jessica", "David", "Emma", "Andrew", "Hannah", "Matthew", "Laura", "Ben", "Aroha", "Nikau",
    "Mei", "Raj", "Siân", "Chloé", "Tomás", "Ingrid", "Kōtuku", "Declan",
];
