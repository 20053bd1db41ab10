-- Published versions as the service recorded them (after its builds, and by import of what the CLI
-- published): /versions and /arn read these instead of asking AWS on every request. A layer's
-- listing in a region counts as recorded once it has a layer_version_listing row; a refresh
-- replaces the region's rows.

CREATE TABLE layer_version (
  layer VARCHAR(140) NOT NULL,
  region VARCHAR(40) NOT NULL,
  lambda_layer VARCHAR(140) NOT NULL,
  version BIGINT NOT NULL,
  arn VARCHAR(300) NOT NULL,
  digest VARCHAR(64),
  runtimes VARCHAR(2000) NOT NULL,
  architectures VARCHAR(200) NOT NULL,
  code_size BIGINT,
  packages INT,
  created VARCHAR(40),
  PRIMARY KEY (layer, region, lambda_layer, version)
);

CREATE TABLE layer_version_listing (
  layer VARCHAR(140) NOT NULL,
  region VARCHAR(40) NOT NULL,
  refreshed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (layer, region)
);

-- what a running build is doing right now (its current activity line)
ALTER TABLE build ADD COLUMN progress VARCHAR(1000);
