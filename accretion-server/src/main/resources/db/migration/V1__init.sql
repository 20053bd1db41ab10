-- Accretion service schema; runs on H2 (embedded) and PostgreSQL. ${binary} is BYTEA on
-- PostgreSQL and VARBINARY on H2.

CREATE TABLE api_token (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  scope VARCHAR(10) NOT NULL,
  token_hash VARCHAR(64) NOT NULL UNIQUE,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at TIMESTAMP WITH TIME ZONE
);

CREATE TABLE managed_layer (
  name VARCHAR(140) NOT NULL PRIMARY KEY,
  definition VARCHAR(1000000) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE build (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  layer VARCHAR(140) NOT NULL,
  definition VARCHAR(1000000) NOT NULL,
  status VARCHAR(16) NOT NULL,
  stage VARCHAR(1000),
  log VARCHAR(1000000) NOT NULL,
  result VARCHAR(1000000),
  error VARCHAR(100000),
  attempts INT NOT NULL,
  runner VARCHAR(250),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  started_at TIMESTAMP WITH TIME ZONE,
  finished_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX build_layer_idx ON build (layer, created_at);
CREATE INDEX build_status_idx ON build (status, created_at);

-- db-scheduler's table (its PostgreSQL schema, with VARCHAR keys so H2 takes it too)
CREATE TABLE scheduled_tasks (
  task_name VARCHAR(250) NOT NULL,
  task_instance VARCHAR(250) NOT NULL,
  task_data ${binary},
  execution_time TIMESTAMP WITH TIME ZONE NOT NULL,
  picked BOOLEAN NOT NULL,
  picked_by VARCHAR(250),
  last_success TIMESTAMP WITH TIME ZONE,
  last_failure TIMESTAMP WITH TIME ZONE,
  consecutive_failures INT,
  last_heartbeat TIMESTAMP WITH TIME ZONE,
  version BIGINT NOT NULL,
  priority SMALLINT,
  PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority, execution_time);

-- one build of a layer at a time, across instances: the holder renews its heartbeat while it
-- builds; a lock whose heartbeat is older than four heartbeats (a dead instance) may be taken
CREATE TABLE layer_lock (
  layer VARCHAR(140) NOT NULL PRIMARY KEY,
  holder VARCHAR(300) NOT NULL,
  heartbeat TIMESTAMP WITH TIME ZONE NOT NULL
);
