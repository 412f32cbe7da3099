//! Property tests: decode(encode(x)) == x for generated models, in XML and in JSON.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use xpm_api::model::{
    AutoBasOptInCriteria, Client, ClientGroup, ClientType, Contact, NamedRef, Note, Relationship, Staff,
};
use xpm_api::response::{
    Envelope, JsonListWriter, Pagination, PaginationLinks, Resource, XmlList, XmlListWriter, decode_list_json,
    decode_single, decode_single_json, encode_single_json, encode_single_xml,
};
use xpm_api::value::{Decimal, Uuid, XpmDate, YesNo};

/// Text XPM could hold: any character XML 1.0 allows, with markup, entities and line breaks
/// over-represented.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[\\PC\\t\\n\\r]{0,24}",
        2 => "[a-zA-Z &<>\"'\\r\\n;#]{0,16}",
        1 => Just(String::new()),
        1 => "[ \\t\\n]{1,3}",
        1 => "[āēīōūÆøå中文🙂]{1,6}",
    ]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    option::of(text())
}

fn opt_uuid() -> impl Strategy<Value = Option<Uuid>> {
    option::of(any::<u128>().prop_map(Uuid::from_u128))
}

fn opt_yes_no() -> impl Strategy<Value = Option<YesNo>> {
    option::of(any::<bool>().prop_map(YesNo::from))
}

fn opt_decimal() -> impl Strategy<Value = Option<Decimal>> {
    option::of((any::<i64>(), 0u32..8).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale)))
}

fn opt_date() -> impl Strategy<Value = Option<XpmDate>> {
    let day = (1900i32..2100, 1u32..=12, 1u32..=28)
        .prop_map(|(year, month, day)| NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default());
    let time = (0u32..24, 0u32..60, 0u32..60, prop_oneof![Just(0u32), (1u32..1000).prop_map(|ms| ms * 1_000_000)])
        .prop_map(|(hour, minute, second, nanos)| {
            NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).unwrap_or_default()
        });
    option::of(prop_oneof![
        (day.clone(), time).prop_map(|(day, time)| XpmDate::date_time(NaiveDateTime::new(day, time))),
        day.clone().prop_map(XpmDate::date),
        day.prop_map(XpmDate::compact),
    ])
}

fn named_ref() -> impl Strategy<Value = NamedRef> {
    (opt_uuid(), opt_text()).prop_map(|(uuid, name)| {
        let mut reference = NamedRef::default();
        reference.uuid = uuid;
        reference.name = name;
        reference
    })
}

fn contact() -> impl Strategy<Value = Contact> {
    (
        (opt_uuid(), opt_text(), opt_text(), opt_text(), opt_text()),
        (opt_text(), opt_text(), opt_text(), opt_yes_no(), opt_yes_no()),
    )
        .prop_map(
            |((uuid, name, mobile, email, phone), (salutation, addressee, position, is_primary, is_deleted))| {
                let mut contact = Contact::default();
                contact.uuid = uuid;
                contact.name = name;
                contact.mobile = mobile;
                contact.email = email;
                contact.phone = phone;
                contact.salutation = salutation;
                contact.addressee = addressee;
                contact.position = position;
                contact.is_primary = is_primary;
                contact.is_deleted = is_deleted;
                contact
            },
        )
}

fn note() -> impl Strategy<Value = Note> {
    (opt_text(), opt_text(), opt_text(), opt_date(), opt_text()).prop_map(|(title, text, folder, date, created_by)| {
        let mut note = Note::default();
        note.title = title;
        note.text = text;
        note.folder = folder;
        note.date = date;
        note.created_by = created_by;
        note
    })
}

fn relationship() -> impl Strategy<Value = Relationship> {
    (opt_uuid(), opt_text(), option::of(named_ref()), option::of(any::<i32>()), opt_decimal(), opt_date()).prop_map(
        |(uuid, kind, related, shares, percentage, start)| {
            let mut relationship = Relationship::default();
            relationship.uuid = uuid;
            relationship.relationship_type = kind;
            relationship.related_client = related;
            relationship.number_of_shares = shares;
            relationship.percentage = percentage;
            relationship.start_date = start;
            relationship
        },
    )
}

fn client() -> impl Strategy<Value = Client> {
    let identity = (opt_uuid(), opt_text(), opt_text(), opt_text(), opt_text(), opt_date());
    let address = (opt_text(), opt_text(), opt_text(), opt_text(), opt_text(), opt_text());
    let flags = (opt_yes_no(), opt_yes_no(), opt_yes_no(), opt_yes_no(), opt_yes_no(), option::of(1i32..=12));
    let tax = (opt_text(), opt_text(), opt_text(), opt_decimal(), opt_text());
    let people = (
        option::of(named_ref()),
        option::of(named_ref()),
        option::of((opt_text(), opt_decimal(), opt_text(), option::of(any::<i32>()))),
    );
    let auto_bas = option::of((opt_yes_no(), opt_yes_no(), opt_yes_no(), opt_yes_no()));
    let lists = (
        option::of(vec(contact(), 0..3)),
        option::of(vec(note(), 0..3)),
        option::of(vec(named_ref(), 0..3)),
        option::of(vec(relationship(), 0..2)),
        opt_text(),
    );
    (identity, address, flags, tax, people, auto_bas, lists).prop_map(
        |(
            (uuid, name, first_name, last_name, email, date_of_birth),
            (address, city, region, post_code, country, postal_address),
            (is_prospect, is_archived, is_deleted, gst_registered, prepare_gst, balance_month),
            (tax_number, business_number, gst_period, provisional_tax_ratio, business_structure),
            (account_manager, job_manager, client_type),
            auto_bas,
            (contacts, notes, groups, relationships, web_url),
        )| {
            let mut client = Client::default();
            client.uuid = uuid;
            client.name = name;
            client.first_name = first_name;
            client.last_name = last_name;
            client.email = email;
            client.date_of_birth = date_of_birth;
            client.address = address;
            client.city = city;
            client.region = region;
            client.post_code = post_code;
            client.country = country;
            client.postal_address = postal_address;
            client.is_prospect = is_prospect;
            client.is_archived = is_archived;
            client.is_deleted = is_deleted;
            client.gst_registered = gst_registered;
            client.prepare_gst = prepare_gst;
            client.balance_month = balance_month;
            client.tax_number = tax_number;
            client.business_number = business_number;
            client.gst_period = gst_period;
            client.provisional_tax_ratio = provisional_tax_ratio;
            client.business_structure = business_structure;
            client.account_manager = account_manager;
            client.job_manager = job_manager;
            client.client_type = client_type.map(|(name, cost_markup, payment_term, payment_day)| {
                let mut client_type = ClientType::default();
                client_type.name = name;
                client_type.cost_markup = cost_markup;
                client_type.payment_term = payment_term;
                client_type.payment_day = payment_day;
                client_type
            });
            client.auto_bas_opt_in_criteria = auto_bas.map(|(annually, monthly, quarterly, opt_out)| {
                let mut criteria = AutoBasOptInCriteria::default();
                criteria.annually = annually;
                criteria.monthly = monthly;
                criteria.quarterly = quarterly;
                criteria.opt_out = opt_out;
                criteria
            });
            client.contacts = contacts;
            client.notes = notes;
            client.groups = groups;
            client.relationships = relationships;
            client.web_url = web_url;
            client
        },
    )
}

fn staff() -> impl Strategy<Value = Staff> {
    (opt_uuid(), opt_text(), opt_text(), opt_text(), opt_text(), opt_text(), opt_text(), opt_text()).prop_map(
        |(uuid, name, email, phone, mobile, address, payroll_code, web_url)| {
            let mut staff = Staff::default();
            staff.uuid = uuid;
            staff.name = name;
            staff.email = email;
            staff.phone = phone;
            staff.mobile = mobile;
            staff.address = address;
            staff.payroll_code = payroll_code;
            staff.web_url = web_url;
            staff
        },
    )
}

fn group() -> impl Strategy<Value = ClientGroup> {
    (opt_uuid(), opt_text(), opt_yes_no(), opt_text(), option::of(vec(named_ref(), 0..4))).prop_map(
        |(uuid, name, taxable, web_url, clients)| {
            let mut group = ClientGroup::default();
            group.uuid = uuid;
            group.name = name;
            group.taxable = taxable;
            group.web_url = web_url;
            group.clients = clients;
            group
        },
    )
}

fn pagination() -> impl Strategy<Value = Option<Pagination>> {
    option::of((opt_text(), opt_text()).prop_map(|(first, next)| {
        let mut links = PaginationLinks::default();
        links.first = first;
        links.next = next;
        let mut pagination = Pagination::default();
        pagination.links = Some(links);
        pagination
    }))
}

fn xml_list_round_trip<T: Resource + PartialEq + std::fmt::Debug>(items: &[T], pagination: Option<Pagination>) {
    let envelope = Envelope { pagination, ..Envelope::default() };
    let mut writer = XmlListWriter::<_, T>::start(Vec::new(), Some("List")).expect("write to vec");
    for item in items {
        writer.push(item).expect("write to vec");
    }
    let body = writer.finish(&envelope).expect("write to vec");
    let (decoded, decoded_envelope) = XmlList::<_, T>::new(&body[..]).collect_all().unwrap_or_else(|error| {
        panic!("{error}\n{}", String::from_utf8_lossy(&body));
    });
    assert_eq!(decoded, items);
    assert_eq!(decoded_envelope.pagination, envelope.pagination);
    assert_eq!(decoded_envelope.api_method.as_deref(), Some("List"));
}

fn json_list_round_trip<T: Resource + PartialEq + std::fmt::Debug>(items: &[T]) {
    let mut writer = JsonListWriter::<_, T>::start(Vec::new()).expect("write to vec");
    for item in items {
        writer.push(item).expect("write to vec");
    }
    let body = writer.finish(&Envelope::default()).expect("write to vec");
    let (decoded, _) = decode_list_json::<T>(&body).unwrap_or_else(|error| {
        panic!("{error}\n{}", String::from_utf8_lossy(&body));
    });
    assert_eq!(decoded, items);
}

fn single_round_trips<T: Resource + PartialEq + std::fmt::Debug>(item: &T) {
    let xml = encode_single_xml(item, Some("Get"), &Envelope::default());
    let decoded =
        decode_single::<T, _>(&xml[..]).unwrap_or_else(|error| panic!("{error}\n{}", String::from_utf8_lossy(&xml)));
    assert_eq!(decoded.item.as_ref(), Some(item));
    let json = encode_single_json(item, &Envelope::default());
    let decoded =
        decode_single_json::<T>(&json).unwrap_or_else(|error| panic!("{error}\n{}", String::from_utf8_lossy(&json)));
    assert_eq!(decoded.item.as_ref(), Some(item));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn clients_round_trip(clients in vec(client(), 0..4), pagination in pagination()) {
        xml_list_round_trip(&clients, pagination);
        json_list_round_trip(&clients);
        for client in &clients {
            single_round_trips(client);
        }
    }

    #[test]
    fn staff_round_trip(staff in vec(staff(), 0..4)) {
        xml_list_round_trip(&staff, None);
        json_list_round_trip(&staff);
    }

    #[test]
    fn groups_round_trip(groups in vec(group(), 0..4)) {
        xml_list_round_trip(&groups, None);
        json_list_round_trip(&groups);
        for group in &groups {
            single_round_trips(group);
        }
    }

    #[test]
    fn contacts_round_trip(contacts in vec(contact(), 0..4)) {
        xml_list_round_trip(&contacts, None);
        json_list_round_trip(&contacts);
    }
}
