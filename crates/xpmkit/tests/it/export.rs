//! `xpmkit export` end to end: a store filled through `WriteTx`, the real binary, and its
//! output parsed back and compared with what was stored.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use uuid::Uuid;
use xpm_api::model::Client;
use xpm_api::value::YesNo;
use xpm_store::{EntityKind, Store};
use xpm_synth::{Practice, PracticeSpec};

use crate::text;

const TENANT: Uuid = Uuid::from_u128(0x336e42e8_adbd_4f06_9f9d_b4839d2f9684);
const EVIL_NAME: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";

/// A SQLite store filled with a synthetic practice, and a data directory beside it.
struct Fixture {
    dir: tempfile::TempDir,
    clients: Vec<Client>,
}

impl Fixture {
    fn new(practices: &[(Uuid, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut clients: Vec<Client> = Practice::new(PracticeSpec { seed: 5, clients: 30 }).clients().collect();
        clients[0].name = Some(EVIL_NAME.to_owned());
        clients[0].is_archived = Some(YesNo::No);
        clients[0].is_deleted = Some(YesNo::No);
        clients[0].phone = Some("+61 2 9999 0000".to_owned());
        clients[0].website = Some("https://www.harbour.example/about".to_owned());
        let path = dir.path().join("xpmkit.db");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let store = Store::open(Some(path.to_str().expect("utf-8 path"))).await.expect("store");
            let mut write = store.write().await.expect("begin");
            for (tenant, name) in practices {
                write.upsert_practice(*tenant, name, None).await.expect("practice");
                write.upsert_clients(*tenant, &clients).await.expect("clients");
            }
            write.commit().await.expect("commit");
            store.close().await;
        });
        Self { dir, clients }
    }

    fn database(&self) -> PathBuf {
        self.dir.path().join("xpmkit.db")
    }

    fn xpmkit(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_xpmkit"))
            .args(args)
            .env("XPMKIT_DATA_DIR", self.dir.path().join("data"))
            .env("XPMKIT_DATABASE_URL", self.database())
            .stdin(Stdio::null())
            .output()
            .expect("xpmkit runs")
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn live(&self) -> Vec<&Client> {
        let mut live: Vec<&Client> = self
            .clients
            .iter()
            .filter(|client| {
                !client.is_archived.is_some_and(YesNo::is_yes) && !client.is_deleted.is_some_and(YesNo::is_yes)
            })
            .collect();
        live.sort_by_key(|client| client.uuid.map(|uuid| uuid.to_string()));
        live
    }

    fn mark_removed(&self, client: Uuid) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let store = Store::open(Some(self.database().to_str().expect("utf-8"))).await.expect("store");
            let mut write = store.write().await.expect("begin");
            write.mark_removed(TENANT, EntityKind::Client, &[client.to_string()]).await.expect("removed");
            write.commit().await.expect("commit");
            store.close().await;
        });
    }
}

fn ok(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    text(&output.stderr)
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).expect("a CSV file");
    let headers = reader.headers().expect("headers").iter().map(str::to_owned).collect();
    let rows = reader.records().map(|record| record.expect("a record").iter().map(str::to_owned).collect()).collect();
    (headers, rows)
}

fn expected_text(value: Option<&str>, defended: bool) -> String {
    let value = value.unwrap_or_default();
    match defended && value.starts_with(['=', '+', '-', '@']) {
        true => format!("'{value}"),
        false => value.to_owned(),
    }
}

#[test]
fn csv_json_and_jsonl_parse_back_to_the_stored_values() {
    let fixture = Fixture::new(&[(TENANT, "Export Practice")]);
    let live = fixture.live();
    let csv_path = fixture.file("clients.csv");
    let note = ok(&fixture.xpmkit(&["export", "clients", "--out", csv_path.to_str().expect("utf-8")]));
    assert_eq!(
        note.trim(),
        format!("exported {} clients of Export Practice (csv) to {}", live.len(), csv_path.display())
    );
    let (headers, rows) = read_csv(&csv_path);
    assert_eq!(&headers[..3], ["uuid", "name", "title"]);
    assert!(!headers.contains(&"raw".to_owned()) && !headers.contains(&"removed".to_owned()));
    let column = |name: &str| headers.iter().position(|header| header == name).expect(name);
    assert_eq!(rows.len(), live.len());
    for (row, client) in rows.iter().zip(&live) {
        assert_eq!(row[column("uuid")], client.uuid.expect("id").to_string());
        assert_eq!(row[column("name")], expected_text(client.name.as_deref(), true));
        assert_eq!(row[column("tax_number")], expected_text(client.tax_number.as_deref(), true));
        assert_eq!(row[column("phone")], expected_text(client.phone.as_deref(), true));
        let archived = client.is_archived.map(|flag| flag.is_yes().to_string()).unwrap_or_default();
        assert_eq!(row[column("is_archived")], archived);
    }
    let evil = rows.iter().find(|row| row[column("name")].contains("HYPERLINK")).expect("the evil client");
    assert_eq!(evil[column("name")], format!("'{EVIL_NAME}"), "formula defence");
    assert_eq!(evil[column("phone")], "'+61 2 9999 0000");

    let raw_path = fixture.file("raw.csv");
    ok(&fixture.xpmkit(&[
        "export",
        "clients",
        "--raw-csv",
        "--fields",
        "name,phone",
        "-o",
        raw_path.to_str().expect("utf-8"),
    ]));
    let (headers, rows) = read_csv(&raw_path);
    assert_eq!(headers, ["name", "phone"]);
    assert!(
        rows.contains(&vec![EVIL_NAME.to_owned(), "+61 2 9999 0000".to_owned()]),
        "--raw-csv writes text as stored"
    );

    // JSON (inferred from the extension) and JSON lines on standard output carry typed values.
    let json_path = fixture.file("clients.json");
    ok(&fixture.xpmkit(&["export", "clients", "--out", json_path.to_str().expect("utf-8")]));
    let array: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("read")).expect("a JSON array");
    assert_eq!(array.len(), live.len());
    let lines =
        fixture.xpmkit(&["export", "clients", "--format", "jsonl", "--fields", "uuid,name,balance_month,is_prospect"]);
    ok(&lines);
    let objects: Vec<serde_json::Value> =
        text(&lines.stdout).lines().map(|line| serde_json::from_str(line).expect("a JSON line")).collect();
    assert_eq!(objects.len(), live.len());
    for ((object, client), full) in objects.iter().zip(&live).zip(&array) {
        assert_eq!(object["uuid"], client.uuid.expect("id").to_string());
        assert_eq!(object["name"], serde_json::json!(client.name), "JSON is not formula-escaped");
        assert_eq!(object["balance_month"], serde_json::json!(client.balance_month));
        assert_eq!(object["is_prospect"], serde_json::json!(client.is_prospect.map(YesNo::is_yes)));
        assert_eq!(full["tax_number"], serde_json::json!(client.tax_number));
    }
    // serde_json's map sorts keys, so the order is read from the text.
    for line in text(&lines.stdout).lines() {
        let at: Vec<usize> = ["\"uuid\":", "\"name\":", "\"balance_month\":", "\"is_prospect\":"]
            .iter()
            .map(|key| line.find(key).expect("every key"))
            .collect();
        assert!(at.windows(2).all(|pair| pair[0] < pair[1]), "keys in --fields order: {line}");
    }
}

#[test]
fn mapping_files_rename_fields_for_a_crm() {
    let fixture = Fixture::new(&[(TENANT, "Export Practice")]);
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/mappings");
    let companies = examples.join("hubspot-companies.toml");
    let out = fixture.file("companies.csv");
    ok(&fixture.xpmkit(&[
        "export",
        "clients",
        "--mapping",
        companies.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]));
    let (headers, rows) = read_csv(&out);
    assert_eq!(headers[..3], ["Company name", "Company Domain Name", "Phone Number"]);
    assert_eq!(headers.last().map(String::as_str), Some("XPM Client UUID"));
    let evil = rows.iter().find(|row| row[0].contains("HYPERLINK")).expect("the renamed name column");
    assert_eq!(evil[1], "harbour.example", "the website as a bare domain");
    let stage = headers.iter().position(|header| header == "Lifecycle Stage").expect("constant column");
    assert!(rows.iter().all(|row| row[stage] == "customer"));
    assert_eq!(rows.len(), fixture.live().len());

    // Contacts: one row per link to a live client, the primary flag as Yes/No.
    let contacts = examples.join("hubspot-contacts.toml");
    let out = fixture.file("contacts.csv");
    ok(&fixture.xpmkit(&[
        "export",
        "contacts",
        "--mapping",
        contacts.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]));
    let (headers, rows) = read_csv(&out);
    let client_column = headers.iter().position(|header| header == "XPM Client UUID").expect("client column");
    let primary = headers.iter().position(|header| header == "Primary contact").expect("primary column");
    let live_ids: BTreeSet<String> = fixture.live().iter().map(|client| client.uuid.expect("id").to_string()).collect();
    let links: usize = fixture
        .live()
        .iter()
        .map(|client| {
            client.contacts.iter().flatten().filter(|contact| !contact.is_deleted.is_some_and(YesNo::is_yes)).count()
        })
        .sum();
    let linked: Vec<&Vec<String>> = rows.iter().filter(|row| live_ids.contains(&row[client_column])).collect();
    assert_eq!(linked.len(), links, "one row per contact-client link");
    assert!(linked.iter().all(|row| row[primary] == "Yes" || row[primary] == "No" || row[primary].is_empty()));

    // A mapping for contacts does not apply to clients, and a wrong field is named.
    let refused = fixture.xpmkit(&["export", "clients", "--mapping", contacts.to_str().expect("utf-8"), "--out", "-"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("is a mapping for contacts, not clients"), "{}", text(&refused.stderr));
    let broken = fixture.file("broken.toml");
    std::fs::write(&broken, "[[columns]]\nheader = \"Company\"\nfield = \"company_name\"\n").expect("written");
    let refused = fixture.xpmkit(&["export", "clients", "--mapping", broken.to_str().expect("utf-8"), "--out", "-"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("column 1 (`Company`): clients have no field `company_name`"), "{stderr}");
    assert!(stderr.contains("did you mean `company_number`?"), "{stderr}");
}

#[test]
fn unknown_fields_several_practices_and_removed_rows() {
    let other = Uuid::from_u128(0xabc);
    let fixture = Fixture::new(&[(TENANT, "Export Practice"), (other, "Second Practice")]);
    let refused = fixture.xpmkit(&["export", "clients", "--fields", "uuid,nmae", "--out", "-"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("clients have no field `nmae`; did you mean `name`?"), "{stderr}");
    assert!(stderr.contains("fields of clients: uuid, name,"), "{stderr}");
    assert!(refused.stdout.is_empty());

    let ambiguous = fixture.xpmkit(&["export", "clients", "--out", "-"]);
    assert_eq!(ambiguous.status.code(), Some(2));
    let stderr = text(&ambiguous.stderr);
    assert!(stderr.contains("--tenant") && stderr.contains("Second Practice"), "{stderr}");

    let gone = fixture.live()[1].uuid.expect("id");
    fixture.mark_removed(gone);
    let export = |extra: &[&str]| -> BTreeMap<String, String> {
        let mut args = vec!["export", "clients", "--tenant", "export practice", "--format", "jsonl", "--out", "-"];
        args.extend(extra);
        let output = fixture.xpmkit(&args);
        ok(&output);
        text(&output.stdout)
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("JSON"))
            .map(|row| {
                (
                    row["uuid"].as_str().unwrap_or_default().to_owned(),
                    row["removed"].as_str().unwrap_or("live").to_owned(),
                )
            })
            .collect()
    };
    let live = export(&[]);
    assert_eq!(live.len(), fixture.live().len() - 1);
    assert!(!live.contains_key(&gone.to_string()));
    let all = export(&["--include-removed"]);
    assert_eq!(all.len(), fixture.clients.len());
    assert_eq!(all[&gone.to_string()], "gone");
    let archived = fixture
        .clients
        .iter()
        .find(|c| c.is_archived.is_some_and(YesNo::is_yes) && !c.is_deleted.is_some_and(YesNo::is_yes));
    if let Some(archived) = archived {
        assert_eq!(all[&archived.uuid.expect("id").to_string()], "archived");
    }
}
