-- Keeping layers fresh (issue 13): why a build ran and what it changed, upstream release events,
-- and the index pages the upstream watcher polls (their validators, for conditional requests).

-- one row per build that finished (and per build queued by a schedule or an event, from the start)
CREATE TABLE build_outcome (
  build_id VARCHAR(36) NOT NULL PRIMARY KEY,
  layer VARCHAR(140) NOT NULL,
  cause VARCHAR(16) NOT NULL,
  outcome VARCHAR(16),
  packages VARCHAR(1000000),
  changes VARCHAR(1000000),
  versions VARCHAR(100000),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX build_outcome_layer_idx ON build_outcome (layer, created_at);

-- a release seen upstream (by the watcher, or posted), per layer it may change, once
CREATE TABLE upstream_event (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  layer VARCHAR(140) NOT NULL,
  ecosystem VARCHAR(16) NOT NULL,
  package VARCHAR(214) NOT NULL,
  version VARCHAR(128) NOT NULL,
  source VARCHAR(16) NOT NULL,
  seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
  build_id VARCHAR(36),
  UNIQUE (layer, ecosystem, package, version)
);
CREATE INDEX upstream_event_layer_idx ON upstream_event (layer, seen_at);

-- the last answer of each polled page: its validators and the file names it listed
CREATE TABLE upstream_page (
  url VARCHAR(2000) NOT NULL PRIMARY KEY,
  etag VARCHAR(1000),
  last_modified VARCHAR(200),
  files VARCHAR(1000000) NOT NULL,
  checked_at TIMESTAMP WITH TIME ZONE NOT NULL
);
