-- The contacts export joins each contact to its links by (tenant_id, contact_uuid). Without
-- statistics SQLite's planner costs the (tenant_id, contact_uuid) index, which needs a second
-- lookup into the table for position and is_primary, above a search of the primary key by
-- tenant_id alone, and so read every link of the practice for each contact: 30,000 contacts took
-- minutes. An index holding every column of the link is chosen, and answers alone
-- (https://www.sqlite.org/queryplanner.html#covidx).
DROP INDEX client_contacts_contact;
CREATE INDEX client_contacts_by_contact ON client_contacts (tenant_id, contact_uuid, client_uuid, position, is_primary);
