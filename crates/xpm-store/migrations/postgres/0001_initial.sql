-- The xpmkit store's schema on PostgreSQL. The SQLite and PostgreSQL files declare the same tables
-- and columns; only types differ (SQLite has no BIGINT identity or BYTEA). Text holds UUIDs,
-- dates as XPM wrote them, decimals with their scale and timestamps as RFC 3339 UTC.

CREATE TABLE practices (
    tenant_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    connection_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE clients (
    tenant_id TEXT NOT NULL,
    uuid TEXT NOT NULL,
    name TEXT,
    title TEXT,
    gender TEXT,
    first_name TEXT,
    middle_name TEXT,
    last_name TEXT,
    other_name TEXT,
    email TEXT,
    date_of_birth TEXT,
    date_of_death TEXT,
    place_of_birth_city TEXT,
    place_of_birth_country_code TEXT,
    address TEXT,
    city TEXT,
    region TEXT,
    post_code TEXT,
    country TEXT,
    postal_address TEXT,
    postal_city TEXT,
    postal_region TEXT,
    postal_post_code TEXT,
    postal_country TEXT,
    phone TEXT,
    fax TEXT,
    website TEXT,
    referral_source TEXT,
    export_code TEXT,
    industry TEXT,
    is_prospect BOOLEAN,
    is_archived BOOLEAN,
    is_deleted BOOLEAN,
    account_manager_uuid TEXT,
    account_manager_name TEXT,
    job_manager_uuid TEXT,
    job_manager_name TEXT,
    type_name TEXT,
    type_cost_markup TEXT,
    type_payment_term TEXT,
    type_payment_day BIGINT,
    billing_client_uuid TEXT,
    billing_client_name TEXT,
    tax_number TEXT,
    company_number TEXT,
    business_number TEXT,
    branch_number TEXT,
    business_structure TEXT,
    balance_month BIGINT,
    gst_registered BOOLEAN,
    prepare_gst BOOLEAN,
    gst_period TEXT,
    gst_basis TEXT,
    provisional_tax_basis TEXT,
    provisional_tax_ratio TEXT,
    signed_tax_authority BOOLEAN,
    tax_agent TEXT,
    agency_status TEXT,
    return_type TEXT,
    prepare_activity_statement BOOLEAN,
    prepare_tax_return BOOLEAN,
    auto_bas_annually BOOLEAN,
    auto_bas_monthly BOOLEAN,
    auto_bas_quarterly BOOLEAN,
    auto_bas_opt_out BOOLEAN,
    bank_bsb TEXT,
    bank_account_name TEXT,
    bank_account_number TEXT,
    bank_name TEXT,
    active_ato_client BOOLEAN,
    client_code TEXT,
    web_url TEXT,
    raw TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT,
    PRIMARY KEY (tenant_id, uuid)
);

CREATE TABLE contacts (
    tenant_id TEXT NOT NULL,
    uuid TEXT NOT NULL,
    name TEXT,
    mobile TEXT,
    email TEXT,
    phone TEXT,
    salutation TEXT,
    addressee TEXT,
    is_deleted BOOLEAN,
    raw TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT,
    PRIMARY KEY (tenant_id, uuid)
);

CREATE TABLE client_groups (
    tenant_id TEXT NOT NULL,
    uuid TEXT NOT NULL,
    name TEXT,
    taxable BOOLEAN,
    web_url TEXT,
    raw TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT,
    PRIMARY KEY (tenant_id, uuid)
);

CREATE TABLE staff (
    tenant_id TEXT NOT NULL,
    uuid TEXT NOT NULL,
    name TEXT,
    email TEXT,
    phone TEXT,
    mobile TEXT,
    address TEXT,
    payroll_code TEXT,
    web_url TEXT,
    raw TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT,
    PRIMARY KEY (tenant_id, uuid)
);

CREATE TABLE jobs (
    tenant_id TEXT NOT NULL,
    id TEXT NOT NULL,
    uuid TEXT,
    name TEXT,
    description TEXT,
    state TEXT,
    client_order_number TEXT,
    budget TEXT,
    job_type TEXT,
    start_date TEXT,
    due_date TEXT,
    completed_date TEXT,
    client_uuid TEXT,
    client_name TEXT,
    contact_uuid TEXT,
    contact_name TEXT,
    manager_uuid TEXT,
    manager_name TEXT,
    partner_uuid TEXT,
    partner_name TEXT,
    internal_id TEXT,
    web_url TEXT,
    raw TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT,
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX jobs_client_uuid ON jobs (tenant_id, client_uuid);

CREATE TABLE job_tasks (
    tenant_id TEXT NOT NULL,
    uuid TEXT NOT NULL,
    job_id TEXT,
    task_uuid TEXT,
    task_id TEXT,
    name TEXT,
    description TEXT,
    estimated_minutes BIGINT,
    actual_minutes BIGINT,
    completed BOOLEAN,
    billable BOOLEAN,
    folder TEXT,
    start_date TEXT,
    due_date TEXT,
    raw TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT,
    PRIMARY KEY (tenant_id, uuid)
);

CREATE INDEX job_tasks_job_id ON job_tasks (tenant_id, job_id);

CREATE TABLE task_types (
    tenant_id TEXT NOT NULL,
    uuid TEXT NOT NULL,
    name TEXT,
    description TEXT,
    raw TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT,
    PRIMARY KEY (tenant_id, uuid)
);

CREATE TABLE time_entries (
    tenant_id TEXT NOT NULL,
    uuid TEXT NOT NULL,
    job_id TEXT,
    job_name TEXT,
    task_uuid TEXT,
    task_name TEXT,
    staff_uuid TEXT,
    staff_name TEXT,
    date TEXT,
    minutes BIGINT,
    note TEXT,
    billable BOOLEAN,
    start_time TEXT,
    end_time TEXT,
    invoice_task_uuid TEXT,
    web_url TEXT,
    raw TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT,
    PRIMARY KEY (tenant_id, uuid)
);

CREATE INDEX time_entries_job_id ON time_entries (tenant_id, job_id);

CREATE TABLE categories (
    tenant_id TEXT NOT NULL,
    uuid TEXT NOT NULL,
    name TEXT,
    raw TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT,
    PRIMARY KEY (tenant_id, uuid)
);

CREATE TABLE custom_field_definitions (
    tenant_id TEXT NOT NULL,
    uuid TEXT NOT NULL,
    name TEXT,
    field_type TEXT,
    link_url TEXT,
    options TEXT,
    use_client BOOLEAN,
    use_contact BOOLEAN,
    use_job BOOLEAN,
    use_job_task BOOLEAN,
    use_job_cost BOOLEAN,
    use_job_time BOOLEAN,
    use_lead BOOLEAN,
    use_supplier BOOLEAN,
    value_element TEXT,
    raw TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT,
    PRIMARY KEY (tenant_id, uuid)
);

-- A contact can belong to several clients; position and primary belong to the link.
CREATE TABLE client_contacts (
    tenant_id TEXT NOT NULL,
    client_uuid TEXT NOT NULL,
    contact_uuid TEXT NOT NULL,
    position TEXT,
    is_primary BOOLEAN,
    PRIMARY KEY (tenant_id, client_uuid, contact_uuid)
);
CREATE INDEX client_contacts_contact ON client_contacts (tenant_id, contact_uuid);

CREATE TABLE group_members (
    tenant_id TEXT NOT NULL,
    group_uuid TEXT NOT NULL,
    client_uuid TEXT NOT NULL,
    client_name TEXT,
    group_name TEXT,
    PRIMARY KEY (tenant_id, group_uuid, client_uuid)
);
CREATE INDEX group_members_client ON group_members (tenant_id, client_uuid);

CREATE TABLE relationships (
    tenant_id TEXT NOT NULL,
    uuid TEXT NOT NULL,
    client_uuid TEXT NOT NULL,
    relationship_type TEXT,
    related_client_uuid TEXT,
    related_client_name TEXT,
    number_of_shares BIGINT,
    percentage TEXT,
    start_date TEXT,
    end_date TEXT,
    raw TEXT NOT NULL,
    PRIMARY KEY (tenant_id, uuid)
);
CREATE INDEX relationships_client ON relationships (tenant_id, client_uuid);

-- `owner` is `<owner_kind>:<owner_key>`, the one column a replacement deletes by.
CREATE TABLE custom_field_values (
    tenant_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    owner_kind TEXT NOT NULL,
    owner_key TEXT NOT NULL,
    definition_uuid TEXT NOT NULL,
    name TEXT,
    text_value TEXT,
    date_value TEXT,
    number_value TEXT,
    decimal_value TEXT,
    boolean_value BOOLEAN,
    raw TEXT NOT NULL,
    PRIMARY KEY (tenant_id, owner, definition_uuid)
);

CREATE TABLE sync_runs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    calls_used BIGINT NOT NULL,
    bytes_downloaded BIGINT NOT NULL,
    counts TEXT NOT NULL,
    error TEXT
);
CREATE INDEX sync_runs_tenant ON sync_runs (tenant_id, id);

CREATE TABLE cursors (
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    run_id BIGINT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_key TEXT,
    payload TEXT NOT NULL,
    base_version TEXT,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    result_key TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX outbox_tenant_status ON outbox (tenant_id, status, id);

-- old/new: the changed fields (updated), the last item (removed), the item (restored).
CREATE TABLE change_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    run_id BIGINT,
    at TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    change TEXT NOT NULL,
    old TEXT,
    new TEXT
);
CREATE INDEX change_events_tenant ON change_events (tenant_id, id);

-- Sealed records only (XChaCha20-Poly1305, bound to the connection id): never plaintext.
CREATE TABLE tokens (
    connection_id TEXT PRIMARY KEY,
    sealed BYTEA NOT NULL,
    key_id TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
