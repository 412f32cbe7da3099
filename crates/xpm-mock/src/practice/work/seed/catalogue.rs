//! The seeded price list and custom fields.

use std::sync::Arc;

use chrono::Days;
use rand::Rng;
use xpm_api::model::{Cost, CustomFieldDefinition};
use xpm_api::value::Decimal;
use xpm_synth::work_words::{PRICE_ITEMS, PRICE_VARIANTS};

use crate::practice::work::custom_fields::{CustomFields, StoredValue, ValueOwner, value_element_for};
use crate::practice::work::ids::{cents, money, random_uuid};
use crate::practice::work::jobs::JobRecord;
use crate::practice::work::price_list::PriceList;

/// Price list items: enough for a second `cost.api/list` page.
const PRICE_LIST_ITEMS: usize = 1_200;

/// Seeded definitions: name, type, options or link, and the entities that use the field
/// (client, contact, job, job task, job cost, time).
const DEFINITIONS: &[(&str, &str, &str, [bool; 6])] = &[
    ("Engagement letter signed", "Checkbox", "", [false, false, true, false, false, false]),
    ("Lodgement reference", "Text", "", [false, false, true, false, false, false]),
    ("Fee estimate", "Decimal", "", [false, false, true, false, false, false]),
    ("Lodgement due", "Date", "", [false, false, true, true, false, false]),
    ("Review priority", "Dropdown List", "High\nMedium\nLow", [false, false, false, true, false, false]),
    ("Disbursement code", "Text", "", [false, false, false, false, true, false]),
    ("Billing code", "Number", "", [false, false, false, false, false, true]),
    (
        "Client portal",
        "Value Link",
        "https://portal.example.com/clients/[value]",
        [true, false, false, false, false, false],
    ),
    ("Preferred contact method", "Dropdown List", "Email\nPhone\nPost", [true, true, false, false, false, false]),
    ("Date engaged", "Date", "", [true, false, false, false, false, false]),
];

/// The seeded custom field definitions.
pub(super) fn custom_fields(random: &mut impl Rng) -> CustomFields {
    let definitions = DEFINITIONS
        .iter()
        .map(|(name, field_type, extra, uses)| {
            let mut definition = CustomFieldDefinition::default();
            definition.uuid = Some(random_uuid(random));
            definition.name = Some((*name).to_owned());
            definition.field_type = Some((*field_type).to_owned());
            let is_link = *field_type == "Value Link";
            definition.link_url = Some(if is_link { (*extra).to_owned() } else { String::new() });
            definition.options = Some(if is_link { String::new() } else { (*extra).to_owned() });
            let [client, contact, job, job_task, job_cost, time] = *uses;
            definition.use_client = Some(client);
            definition.use_contact = Some(contact);
            definition.use_job = Some(job);
            definition.use_job_task = Some(job_task);
            definition.use_job_cost = Some(job_cost);
            definition.use_job_time = Some(time);
            definition.use_lead = Some(false);
            definition.use_supplier = Some(false);
            definition.value_element = value_element_for(field_type).ok().map(|(_, element)| element.to_owned());
            Arc::new(definition)
        })
        .collect();
    CustomFields::with_definitions(definitions)
}

/// About 1,200 price list items: families of items in many variants.
pub(super) fn price_list(random: &mut impl Rng) -> PriceList {
    let items = (0..PRICE_LIST_ITEMS)
        .map(|index| {
            let (stem, prefix) = PRICE_ITEMS[index % PRICE_ITEMS.len()];
            let round = index / PRICE_ITEMS.len();
            let variant = PRICE_VARIANTS[round % PRICE_VARIANTS.len()];
            let lap = round / PRICE_VARIANTS.len();
            let description =
                if lap == 0 { format!("{stem} - {variant}") } else { format!("{stem} - {variant} ({})", lap + 1) };
            let unit_cost = random.random_range(50..50_000);
            let markup = Decimal::from(random.random_range(100..160)) / Decimal::from(100);
            let mut cost = Cost::default();
            cost.uuid = Some(random_uuid(random));
            cost.description = Some(description);
            cost.code = Some(format!("{prefix}{index:04}"));
            cost.note = Some(if random.random_bool(0.1) { "Pass through at cost".to_owned() } else { String::new() });
            cost.unit_cost = Some(cents(unit_cost));
            cost.unit_price = Some(money(cents(unit_cost) * markup));
            cost.income_account = Some(if random.random_bool(0.7) { "200" } else { "260" }.to_owned());
            cost.cost_of_sale_account = Some("310".to_owned());
            Arc::new(cost)
        })
        .collect();
    PriceList::new(items)
}

/// Values on some jobs and job tasks.
pub(super) fn job_values(fields: &mut CustomFields, jobs: &[JobRecord], random: &mut impl Rng) {
    let uuid_of = |name: &str| {
        fields.definitions.iter().find(|definition| definition.name.as_deref() == Some(name)).and_then(|d| d.uuid)
    };
    let (Some(signed), Some(reference), Some(estimate), Some(due), Some(priority)) = (
        uuid_of("Engagement letter signed"),
        uuid_of("Lodgement reference"),
        uuid_of("Fee estimate"),
        uuid_of("Lodgement due"),
        uuid_of("Review priority"),
    ) else {
        return;
    };
    for record in jobs {
        if !random.random_bool(0.4) {
            continue;
        }
        let owner = ValueOwner::job(record.number());
        fields.set(owner.clone(), signed, StoredValue::Boolean(true));
        if random.random_bool(0.5) {
            let text = format!("LDG-{}", random.random_range(100_000..999_999));
            fields.set(owner.clone(), reference, StoredValue::Text(text));
        }
        fields.set(owner.clone(), estimate, StoredValue::Decimal(cents(random.random_range(50_000..800_000))));
        let due_date = record.created + Days::new(random.random_range(30..120));
        fields.set(owner, due, StoredValue::Date(due_date));
        if let Some(task) = record.tasks().first().and_then(|task| task.uuid) {
            let level = ["High", "Medium", "Low"][random.random_range(0..3)];
            fields.set(ValueOwner::JobTask(task), priority, StoredValue::Text(level.to_owned()));
        }
    }
}
