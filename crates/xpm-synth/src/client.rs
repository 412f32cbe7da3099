//! One client in XPM's detailed shape, with fields filled the way a real practice fills them.
//!
//! Which elements appear follows Xero's samples: every scalar of the detailed shape is present
//! (empty ones as `Some("")`, written `<Fax/>`), individuals add the name and birth-date block,
//! and New Zealand-only fields appear for New Zealand clients.

use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use xpm_api::model::{AutoBasOptInCriteria, Client, NamedRef};
use xpm_api::value::{Decimal, XpmDate, YesNo};

use super::identity::{ClientKind, Country, Identity, client_rng, draw_identity, pick};
use super::numbers::{abn, company_number, landline, masked_tax_number, mobile, nzbn};
use super::parts::{contacts, notes, relationships};
use super::pools::{BANKS, COUNTRIES, FIRST_NAMES, REFERRAL_SOURCES};
use super::practice::Practice;
use super::text::{business_domain, free_mail_domain, person_email, postal_address, slug, street_address};

/// Builds client `index` of `practice`.
pub(super) fn build_client(practice: &Practice, index: u32) -> Client {
    let mut rng = client_rng(practice.spec().seed, index);
    let identity = draw_identity(&mut rng);
    let mut client = Client::default();
    client.uuid = Some(identity.uuid);
    client.name = Some(identity.name.clone());
    personal_block(&mut rng, &identity, &mut client);
    contact_block(&mut rng, &identity, index, &mut client);
    practice_block(&mut rng, practice, index, &mut client);
    tax_block(&mut rng, &identity, &mut client);
    client.contacts = Some(contacts(&mut rng, &identity));
    client.notes = Some(notes(&mut rng, practice));
    let group_count = weighted(&mut rng, &[35, 45, 20]);
    client.groups = Some(practice.pick_groups(&mut rng, group_count));
    client.relationships = Some(relationships(&mut rng, practice, index, &identity));
    let detail_id = 1_100_000 + u64::from(index) * 7 + rng.random_range(0..7);
    client.web_url = Some(format!("https://practicemanager.xero.com/Client/{detail_id}/Detail"));
    client
}

/// Picks an index with the given relative weights.
pub(super) fn weighted(rng: &mut impl Rng, weights: &[u32]) -> usize {
    let mut roll = rng.random_range(0..weights.iter().sum::<u32>());
    for (index, weight) in weights.iter().enumerate() {
        if roll < *weight {
            return index;
        }
        roll -= weight;
    }
    weights.len() - 1
}

/// `Yes` with probability `p`.
pub(super) fn flag(rng: &mut impl Rng, p: f64) -> Option<YesNo> {
    Some(YesNo::from(rng.random_bool(p)))
}

/// A date between `from_year` and `to_year` inclusive.
pub(super) fn random_date(rng: &mut impl Rng, from_year: i32, to_year: i32) -> Option<NaiveDate> {
    NaiveDate::from_yo_opt(rng.random_range(from_year..=to_year), rng.random_range(1..=365))
}

fn personal_block(rng: &mut ChaCha8Rng, identity: &Identity, client: &mut Client) {
    if identity.kind != ClientKind::Individual {
        return;
    }
    let gender = match identity.title {
        "Mr" => "Male",
        "Mrs" | "Ms" | "Miss" => "Female",
        _ => "",
    };
    client.title = Some(identity.title.to_owned());
    client.gender = Some(gender.to_owned());
    client.first_name = Some(identity.first_name.to_owned());
    client.last_name = Some(identity.last_name.to_owned());
    // Clients with a Chinese name usually give an English one too, which XPM keeps as OtherName.
    let other_name = if !identity.first_name.is_ascii() && rng.random_bool(0.6) {
        pick(rng, &FIRST_NAMES[..30]).to_owned()
    } else {
        String::new()
    };
    client.other_name = Some(other_name);
}

fn contact_block(rng: &mut ChaCha8Rng, identity: &Identity, index: u32, client: &mut Client) {
    let country = identity.country;
    let business = identity.kind != ClientKind::Individual;
    client.email = Some(match (business, rng.random_range(0..20)) {
        (_, 0) => String::new(),
        (true, 1..12) => format!(
            "{}@{}",
            pick(rng, &["info", "accounts", "admin", "office"]),
            business_domain(&identity.name, country)
        ),
        (true, _) => {
            person_email(rng, identity.first_name, identity.last_name, &business_domain(&identity.name, country))
        }
        (false, _) => {
            let domain = free_mail_domain(rng, country);
            person_email(rng, identity.first_name, identity.last_name, domain)
        }
    });
    if !business {
        client.date_of_birth = random_date(rng, 1935, 2006).map(XpmDate::date);
    }
    let street = street_address(rng, country);
    if rng.random_bool(0.92) {
        client.address = Some(street.lines);
        client.city = Some(street.city.to_owned());
        client.region = Some(street.region.to_owned());
    } else {
        client.address = Some(String::new());
        client.city = Some(String::new());
        client.region = Some(String::new());
    }
    client.post_code = Some(street.post_code);
    client.country = Some(COUNTRIES[country.index()].to_owned());
    if rng.random_bool(0.45) {
        let postal = postal_address(rng, country);
        client.postal_address = Some(postal.lines);
        client.postal_city = Some(postal.city.to_owned());
        client.postal_region = Some(postal.region.to_owned());
        client.postal_post_code = Some(postal.post_code);
        client.postal_country = Some(COUNTRIES[country.index()].to_owned());
    } else {
        for field in [
            &mut client.postal_address,
            &mut client.postal_city,
            &mut client.postal_region,
            &mut client.postal_post_code,
            &mut client.postal_country,
        ] {
            *field = Some(String::new());
        }
    }
    client.phone = Some(match rng.random_range(0..10) {
        0 => String::new(),
        1..5 => mobile(rng, country),
        _ => landline(rng, country),
    });
    client.fax = Some(if business && rng.random_bool(0.1) { landline(rng, country) } else { String::new() });
    client.website = Some(if business && rng.random_bool(0.5) {
        format!("https://www.{}", business_domain(&identity.name, country))
    } else {
        String::new()
    });
    client.referral_source = Some(pick(rng, REFERRAL_SOURCES).to_owned());
    client.export_code = Some((1000 + index).to_string());
}

fn practice_block(rng: &mut ChaCha8Rng, practice: &Practice, index: u32, client: &mut Client) {
    client.is_prospect = flag(rng, 0.04);
    client.is_archived = flag(rng, 0.06);
    client.is_deleted = flag(rng, 0.02);
    client.account_manager = rng.random_bool(0.92).then(|| practice.pick_manager(rng));
    client.job_manager = rng.random_bool(0.85).then(|| practice.pick_manager(rng));
    client.client_type = if rng.random_bool(0.9) { practice.pick_client_type(rng) } else { None };
    let clients = practice.spec().clients;
    if clients > 1 && rng.random_bool(0.04) {
        let other = (index + rng.random_range(1..clients)) % clients;
        let billed = draw_identity(&mut client_rng(practice.spec().seed, other));
        client.billing_client = Some(NamedRef::new(billed.uuid, billed.name));
    }
}

fn tax_block(rng: &mut ChaCha8Rng, identity: &Identity, client: &mut Client) {
    let country = identity.country;
    let kind = identity.kind;
    let business = kind != ClientKind::Individual;
    let nz = country == Country::NewZealand;
    client.tax_number = Some(if rng.random_bool(0.88) { masked_tax_number(rng) } else { String::new() });
    client.company_number =
        Some(if kind == ClientKind::Company { company_number(rng, country) } else { String::new() });
    let has_business_number = match country {
        Country::Australia => business || rng.random_bool(0.35),
        Country::NewZealand => rng.random_bool(if business { 0.9 } else { 0.3 }),
        Country::UnitedKingdom => false,
    };
    client.business_number = Some(match (has_business_number, country) {
        (false, _) => String::new(),
        (true, Country::NewZealand) => nzbn(rng),
        (true, _) => abn(rng),
    });
    client.branch_number =
        Some(if country == Country::Australia && has_business_number { "1".to_owned() } else { String::new() });
    let structure = match kind {
        ClientKind::Individual if has_business_number => "Sole Trader",
        ClientKind::Individual => "Individual",
        ClientKind::Company => "Company",
        ClientKind::Trust if identity.name.contains("Superannuation") => "Superannuation Fund",
        ClientKind::Trust => "Trust",
        ClientKind::Partnership => "Partnership",
    };
    client.business_structure = Some(structure.to_owned());
    client.balance_month = rng.random_bool(0.7).then_some(if country == Country::Australia { 6 } else { 3 });
    let registered = rng.random_bool(if business || has_business_number { 0.85 } else { 0.1 });
    client.gst_registered = Some(YesNo::from(registered));
    client.prepare_gst = Some(YesNo::from(registered && rng.random_bool(0.8)));
    let pick_if = |rng: &mut ChaCha8Rng, on: bool, pool: &[&'static str]| {
        Some(if on { pick(rng, pool).to_owned() } else { String::new() })
    };
    client.gst_period = pick_if(rng, registered, &["Monthly", "2 Monthly", "6 Monthly"]);
    client.gst_basis = pick_if(rng, registered, &["Invoice", "Payment", "Hybrid"]);
    client.provisional_tax_basis = pick_if(rng, nz, &["Standard Option", "Estimate Option", "Ratio Option"]);
    if client.provisional_tax_basis.as_deref() == Some("Ratio Option") {
        client.provisional_tax_ratio = Some(Decimal::new(rng.random_range(100..1500), 2));
    }
    client.signed_tax_authority = flag(rng, if nz { 0.6 } else { 0.02 });
    if nz {
        client.tax_agent = Some("Kōwhai Accounting Limited".to_owned());
    }
    client.agency_status = Some(if nz { pick(rng, &["With EOT", "Without EOT"]) } else { "Unlinked" }.to_owned());
    if nz {
        let return_type = match kind {
            ClientKind::Individual => "IR3",
            ClientKind::Company => "IR4",
            ClientKind::Trust => "IR6",
            ClientKind::Partnership => "IR7",
        };
        client.return_type = Some(return_type.to_owned());
    }
    let au = country == Country::Australia;
    client.prepare_activity_statement = flag(rng, if au && registered { 0.75 } else { 0.0 });
    client.prepare_tax_return = flag(rng, 0.85);
    let chosen = if au { rng.random_range(0..4) } else { 3 };
    let mut criteria = AutoBasOptInCriteria::default();
    criteria.annually = Some(YesNo::from(chosen == 0));
    criteria.monthly = Some(YesNo::from(chosen == 1));
    criteria.quarterly = Some(YesNo::from(chosen == 2));
    criteria.opt_out = Some(YesNo::from(chosen == 3));
    client.auto_bas_opt_in_criteria = Some(criteria);
    if rng.random_bool(0.4) {
        if au {
            client.bank_bsb = Some(format!("{:03}-{:03}", rng.random_range(10..800), rng.random_range(0..1000)));
            client.bank_account_name = Some(identity.name.clone());
            client.bank_account_number =
                Some(format!("{:04} {:04}", rng.random_range(1000..10000), rng.random_range(0..10000)));
        }
        client.bank_name = Some(pick(rng, BANKS).to_owned());
    }
    client.active_ato_client = flag(rng, if au { 0.8 } else { 0.0 });
    if rng.random_bool(0.6) {
        let mut code: String = slug(&identity.name).chars().take(3).collect::<String>().to_ascii_uppercase();
        if code.len() < 3 {
            code = "CLI".to_owned();
        }
        client.client_code = Some(format!("{code}{:03}", rng.random_range(1..1000)));
    }
}
