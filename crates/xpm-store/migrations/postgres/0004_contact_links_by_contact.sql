-- The contacts export joins each contact to its links by (tenant_id, contact_uuid); the SQLite
-- migration of the same number explains why that index now holds every column of the link. The
-- same index here lets PostgreSQL answer the join from the index alone
-- (https://www.postgresql.org/docs/current/indexes-index-only-scans.html).
DROP INDEX client_contacts_contact;
CREATE INDEX client_contacts_by_contact ON client_contacts (tenant_id, contact_uuid, client_uuid) INCLUDE (position, is_primary);
