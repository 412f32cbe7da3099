-- The days a job's creation lies between, as the date windows of `job.api/list` (which filter by
-- creation date) last told it: a job listed in the window from..to was created within it. A
-- sweep of a window that covers these bounds and no longer lists the job finds it deleted.
ALTER TABLE jobs ADD COLUMN created_from TEXT;
ALTER TABLE jobs ADD COLUMN created_to TEXT;

-- What one run changed (the sync fetches custom field values only for those records).
CREATE INDEX change_events_run ON change_events (run_id, entity);
