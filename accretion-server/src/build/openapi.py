#!/usr/bin/env python3
"""Writes src/main/resources/dev/accretion/server/openapi.json (OpenAPI 3.1). Run after changing a route."""
import json, os

def ref(n): return {"$ref": "#/components/schemas/" + n}
def js(n): return {"content": {"application/json": {"schema": ref(n)}}}
PROBLEM = {"content": {"application/problem+json": {"schema": ref("Problem")}}}
def resp(ok_status, ok_name, desc, *errors):
    r = {str(ok_status): dict(description=desc, **(js(ok_name) if ok_name else {}))}
    for e in errors:
        r[str(e)] = dict(description={400: "bad request (pointer names the field)", 401: "no or bad token",
            403: "wrong scope, a definition that runs code, or a write a browser sent from another site", 404: "not found", 409: "conflict",
            413: "body or listing too large", 422: "unprocessable", 502: "AWS or a source failed",
            503: "starting"}[e], **PROBLEM)
    r["default"] = dict(description="any other failure", **PROBLEM)
    return r
def q(name, desc, required=False, schema=None):
    return {"name": name, "in": "query", "required": required, "description": desc, "schema": schema or {"type": "string"}}
def p(name, desc, schema=None):
    return {"name": name, "in": "path", "required": True, "description": desc, "schema": schema or {"type": "string"}}
NAME = p("name", "the layer name", {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,140}$"})
REGION = q("region", "the region (default: the layer's first)")
AUTH = [{"bearer": []}]
R = (400, 401, 403, 404, 502, 503)
strs = {"type": "array", "items": {"type": "string"}}
nstr = {"type": ["string", "null"]}

doc = {
  "openapi": "3.1.0",
  "info": {"title": "Accretion service", "version": "1",
           "description": "Managed AWS Lambda layers: definitions, build and publish jobs, published versions."},
  "security": AUTH,
  "paths": {
    "/health": {"get": {"operationId": "health", "security": [], "summary": "200 once the database is migrated and the job runner is up",
        "responses": {"200": dict(description="up", **js("Health")), "503": dict(description="starting", **js("Health"))}}},
    "/metrics": {"get": {"operationId": "metrics", "security": [], "summary": "Prometheus text format",
        "responses": {"200": {"description": "metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    "/openapi.json": {"get": {"operationId": "openapi", "security": [], "summary": "this document",
        "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/api/v1/layers": {
      "get": {"operationId": "listLayers", "summary": "every managed layer", "responses": resp(200, "LayerList", "the layers", 401, 403, 503)},
      "post": {"operationId": "defineLayer", "summary": "define a managed layer (write token)",
               "requestBody": {"required": True, "content": {"application/json": {"schema": ref("LayerDefinition")}}},
               "responses": resp(201, "Layer", "defined", 400, 401, 403, 409, 413, 503)}},
    "/api/v1/layers/{name}": {
      "parameters": [NAME],
      "get": {"operationId": "getLayer", "responses": resp(200, "Layer", "the layer", *R)},
      "put": {"operationId": "putLayer", "summary": "replace the definition (write token)",
              "requestBody": {"required": True, "content": {"application/json": {"schema": ref("LayerDefinitionUpdate")}}},
              "responses": resp(200, "Layer", "replaced", 400, 401, 403, 404, 409, 413, 503)},
      "delete": {"operationId": "deleteLayer", "summary": "stop managing (published versions stay)",
                 "responses": {"204": {"description": "no longer managed"}, **{k: v for k, v in resp(204, None, "", 400, 401, 403, 404, 503).items() if k != "204"}}}},
    "/api/v1/layers/{name}/builds": {
      "parameters": [NAME],
      "post": {"operationId": "queueBuild", "summary": "queue a build and publish job (write token)",
               "responses": resp(202, "BuildQueued", "queued; Location names the build", 400, 401, 403, 404, 413, 503)}},
    "/api/v1/layers/{name}/versions": {
      "parameters": [NAME],
      "get": {"operationId": "listVersions", "summary": "the published versions the service recorded (read from AWS the first time, after each build, on import, or with refresh=true)",
              "parameters": [REGION, q("refresh", "read the listing from AWS again first", schema={"enum": ["true", "false"]})],
              "responses": resp(200, "Versions", "published versions", *R)}},
    "/api/v1/layers/{name}/import": {
      "parameters": [NAME],
      "post": {"operationId": "importVersions", "summary": "record the versions Accretion published of this layer (from the CLI or elsewhere), by their marker and manifest (write token)",
               "parameters": [q("region", "only this region (default: every region of the definition)")],
               "responses": resp(200, "Imported", "what was recorded, per region", *R)}},
    "/api/v1/layers/{name}/versions/{version}": {
      "parameters": [NAME, p("version", "the version number", {"type": "integer", "minimum": 1})],
      "get": {"operationId": "describeVersion", "parameters": [REGION, q("runtime", "choose the Lambda layer by runtime"), q("arch", "and architecture")],
              "responses": resp(200, "VersionDetail", "the version and the packages of its manifest", *R)}},
    "/api/v1/layers/{name}/diff": {
      "parameters": [NAME],
      "get": {"operationId": "diffVersions", "parameters": [REGION, q("from", "version", True, {"type": "integer"}), q("to", "version", True, {"type": "integer"}), q("runtime", "runtime"), q("arch", "architecture")],
              "responses": resp(200, "Diff", "packages added, removed, changed", *R)}},
    "/api/v1/layers/{name}/arn": {
      "parameters": [NAME],
      "get": {"operationId": "findArn", "parameters": [REGION, q("runtime", "compatible runtime"), q("arch", "compatible architecture")],
              "responses": resp(200, "Arn", "the latest matching version's ARN", *R)}},
    "/api/v1/packages/{ecosystem}/{name}": {
      "parameters": [p("ecosystem", "pypi, npm or maven", {"enum": ["pypi", "npm", "maven"]}), p("name", "the package name")],
      "get": {"operationId": "findPackage", "parameters": [q("versions", "a version specifier (PEP 440 for pypi; ==V otherwise)")],
              "responses": resp(200, "PackageMatches", "every managed layer version, per region, holding the package in a matching version", 400, 401, 403, 502, 503)}},
    "/api/v1/layers/{name}/feed.atom": {
      "parameters": [NAME],
      "get": {"operationId": "layerFeed", "summary": "Atom feed of the layer's new versions, each with its package changes",
              "responses": {"200": {"description": "an Atom 1.0 feed", "content": {"application/atom+xml": {"schema": {"type": "string"}}}},
                            **{k: v for k, v in resp(200, None, "", 400, 401, 403, 404, 503).items() if k != "200"}}}},
    "/api/v1/events/upstream": {
      "post": {"operationId": "postUpstreamEvent", "summary": "a release seen by an external feed (write token): layers it could change record an event and get one rebuild",
               "requestBody": {"required": True, "content": {"application/json": {"schema": ref("UpstreamRelease")}}},
               "responses": {"202": dict(description="events recorded, rebuilds queued", **js("EventList")),
                             **resp(200, "EventList", "no managed layer could change (or the release was seen before)", 400, 401, 403, 413, 503)}}},
    "/api/v1/events": {
      "get": {"operationId": "listEvents", "parameters": [q("layer", "only this layer")],
              "responses": resp(200, "EventList", "upstream releases seen, newest first, with the build each caused", 400, 401, 403, 503)}},
    "/api/v1/builds": {
      "get": {"operationId": "listBuilds", "parameters": [q("layer", "only this layer"), q("status", "only this status", schema={"enum": ["queued", "running", "succeeded", "failed"]}),
               q("limit", "page size (1-200, default 50)", schema={"type": "integer"}), q("offset", "skip this many", schema={"type": "integer"})],
              "responses": resp(200, "BuildList", "builds, newest first", 400, 401, 403, 503)}},
    "/api/v1/builds/{id}": {
      "parameters": [p("id", "the build id")],
      "get": {"operationId": "getBuild", "responses": resp(200, "Build", "status, stage, progress, log, result or error", *R)}},
    "/api/v1/builds/{id}/artifacts/{file}": {
      "parameters": [p("id", "the build id"), p("file", "a file of the build's result artifacts")],
      "get": {"operationId": "downloadArtifact", "summary": "a file the build wrote (zip, manifest, SBOM), kept by digest; Digest and ETag name its sha256",
              "responses": {"200": {"description": "the file", "content": {
                  "application/zip": {"schema": {"type": "string", "contentMediaType": "application/zip"}},
                  "application/json": {"schema": {}},
                  "application/octet-stream": {"schema": {"type": "string"}}}},
                  **{k: v for k, v in resp(200, None, "", 401, 403, 404, 503).items() if k != "200"}}}},
  },
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "accretion serve token create --scope read|write|admin"}},
    "schemas": {
      "Health": {"type": "object", "required": ["status"], "properties": {"status": {"enum": ["ok", "starting"]},
          "instance": {"type": "string", "description": "this instance (pid@host), as builds name their runner"}}},
      "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
          "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
          "detail": {"type": "string"}, "pointer": {"type": "string", "description": "JSON pointer (RFC 6901) of the bad field"},
          "advice": {"type": "string"}}},
      "Target": {"type": "object", "additionalProperties": False, "required": ["runtime"], "properties": {
          "runtime": {"type": "string"}, "arch": {"enum": ["x86_64", "arm64"]}}},
      "LayerDefinition": {"type": "object", "additionalProperties": False, "required": ["name", "listing", "targets", "regions"], "properties": {
          "name": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,140}$"},
          "listing": {"type": "object", "additionalProperties": False, "required": ["filename", "content"], "properties": {
              "filename": {"type": "string"}, "content": {"type": "string"}}},
          "targets": {"type": "array", "minItems": 1, "items": ref("Target")},
          "regions": strs,
          "sharing": {"oneOf": [{"type": "string"}, strs]},
          "description": {"type": "string"}, "license": {"type": "string"},
          "notifications": {"type": "object", "additionalProperties": False, "properties": {"sns": {"type": "boolean"}}},
          "builder": {"type": "string", "description": "a builder id; builders that run code are refused unless allowed"},
          "schedule": {"type": "string", "description": "rebuild schedule in UTC: daily, weekly, monthly, or a cron expression (5 fields, or 6 with seconds first)"}}},
      "Layer": {"type": "object", "required": ["name", "definition", "created", "updated"], "properties": {
          "name": {"type": "string"}, "definition": ref("LayerDefinition"),
          "created": {"type": "string", "format": "date-time"}, "updated": {"type": "string", "format": "date-time"}}},
      "LayerList": {"type": "object", "required": ["layers"], "properties": {"layers": {"type": "array", "items": ref("Layer")}}},
      "BuildQueued": {"type": "object", "required": ["id", "status"], "properties": {"id": {"type": "string"}, "status": {"const": "queued"}}},
      "BuildSummary": {"type": "object", "required": ["id", "layer", "status", "attempts", "created"], "properties": {
          "id": {"type": "string"}, "layer": {"type": "string"},
          "status": {"enum": ["queued", "running", "succeeded", "failed"]},
          "stage": nstr, "progress": {**nstr, "description": "what a running build is doing right now"}, "attempts": {"type": "integer"}, "runner": {**nstr, "description": "the instance that ran it last"},
          "created": {"type": "string"}, "started": nstr, "finished": nstr}},
      "Build": {"allOf": [ref("BuildSummary"), {"type": "object", "required": ["log", "result", "error"], "properties": {
          "log": strs,
          "result": {"oneOf": [{"type": "null"}, ref("BuildResult")]},
          "error": {"oneOf": [{"type": "null"}, ref("Problem")]}}}]},
      "Changes": {"type": "object", "required": ["added", "removed", "changed"], "properties": {
          "added": {"type": "array", "items": ref("Package")}, "removed": {"type": "array", "items": ref("Package")},
          "changed": {"type": "array", "items": {"type": "object", "required": ["name", "from", "to"], "properties": {
              "name": {"type": "string"}, "from": {"type": "string"}, "to": {"type": "string"}}}}}},
      "UpstreamRelease": {"type": "object", "additionalProperties": False, "required": ["ecosystem", "name", "version"], "properties": {
          "ecosystem": {"enum": ["pypi", "npm", "maven"]}, "name": {"type": "string"}, "version": {"type": "string"}}},
      "Event": {"type": "object", "required": ["id", "layer", "ecosystem", "name", "version", "source", "seen", "text", "build"], "properties": {
          "id": {"type": "string"}, "layer": {"type": "string"}, "ecosystem": {"type": "string"}, "name": {"type": "string"},
          "version": {"type": "string"}, "source": {"enum": ["watcher", "api"]}, "seen": {"type": "string", "format": "date-time"},
          "text": {"type": "string", "description": "like 'requests 2.33.0 released'"},
          "build": {**nstr, "description": "the build it caused (several events may share one)"}, "buildStatus": nstr}},
      "EventList": {"type": "object", "required": ["events"], "properties": {"events": {"type": "array", "items": ref("Event")}}},
      "BuildResult": {"type": "object", "required": ["artifacts", "layers"], "properties": {
          "cause": {"enum": ["request", "schedule", "upstream"], "description": "why the build ran"},
          "outcome": {"enum": ["published", "unchanged", None], "description": "unchanged: the same bytes, no new version"},
          "changes": {"oneOf": [{"type": "null"}, ref("Changes")], "description": "the packages against the layer's previous build, when published"},
          "events": {"type": "array", "items": ref("Event"), "description": "the upstream events that caused it"},
          "artifacts": {"type": "array", "items": {"type": "object", "required": ["file", "sha256", "size"], "properties": {
              "file": {"type": "string"}, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "size": {"type": "integer"}}}},
          "layers": {"type": "array", "items": {"type": "object", "required": ["name", "digest", "regions"], "properties": {
              "name": {"type": "string"}, "digest": {"type": "string"},
              "regions": {"type": "array", "items": {"type": "object", "required": ["region", "version", "published"], "properties": {
                  "region": {"type": "string"}, "layerVersionArn": nstr, "version": {"type": "integer"},
                  "published": {"type": "boolean"}, "error": nstr}}}}}}}},
      "BuildList": {"type": "object", "required": ["builds", "limit", "offset", "more"], "properties": {
          "builds": {"type": "array", "items": ref("BuildSummary")}, "limit": {"type": "integer"},
          "offset": {"type": "integer"}, "more": {"type": "boolean"}}},
      "Version": {"type": "object", "required": ["lambdaLayer", "version", "layerVersionArn", "digest", "runtimes", "architectures", "size", "packages"], "properties": {
          "lambdaLayer": {"type": "string"}, "version": {"type": "integer"}, "layerVersionArn": {"type": "string"},
          "created": nstr, "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "runtimes": strs, "architectures": strs,
          "size": {"type": ["integer", "null"], "description": "the zip's bytes, as Lambda stores it"},
          "packages": {"type": ["integer", "null"], "description": "packages in its manifest"}}},
      "Versions": {"type": "object", "required": ["layer", "region", "recorded", "versions"], "properties": {
          "layer": {"type": "string"}, "region": {"type": "string"},
          "recorded": {"type": "string", "format": "date-time", "description": "when the listing was last read from AWS"},
          "versions": {"type": "array", "items": ref("Version")}}},
      "Imported": {"type": "object", "required": ["layer", "regions"], "properties": {
          "layer": {"type": "string"},
          "regions": {"type": "array", "items": {"type": "object", "required": ["region", "imported", "skipped", "versions"], "properties": {
              "region": {"type": "string"}, "imported": {"type": "integer"},
              "skipped": {"type": "integer", "description": "versions without Accretion's marker or manifest"},
              "versions": {"type": "array", "items": ref("Version")}}}}}},
      "Package": {"type": "object", "required": ["name", "version"], "properties": {"name": {"type": "string"}, "version": {"type": "string"}}},
      "VersionDetail": {"type": "object", "required": ["name", "region", "version", "layerVersionArn"], "properties": {
          "name": {"type": "string"}, "region": {"type": "string"}, "version": {"type": "integer"},
          "layerVersionArn": {"type": "string"}, "created": nstr, "description": nstr, "runtimes": strs,
          "architectures": strs, "license": nstr, "codeSize": {"type": "integer"}, "codeSha256": nstr,
          "digest": nstr, "public": {"type": "boolean"}, "sharing": {"type": "array"},
          "packages": {"oneOf": [{"type": "null"}, {"type": "array", "items": ref("Package")}]},
          "manifest": {"type": ["object", "null"]}}},
      "Diff": {"type": "object", "required": ["name", "region", "from", "to", "added", "removed", "changed"], "properties": {
          "name": {"type": "string"}, "region": {"type": "string"}, "from": {"type": "integer"}, "to": {"type": "integer"},
          "added": {"type": "array", "items": ref("Package")}, "removed": {"type": "array", "items": ref("Package")},
          "changed": {"type": "array", "items": {"type": "object", "required": ["name", "from", "to"], "properties": {
              "name": {"type": "string"}, "from": {"type": "string"}, "to": {"type": "string"}}}}}},
      "PackageMatches": {"type": "object", "required": ["ecosystem", "name", "versions", "matches"], "properties": {
          "ecosystem": {"type": "string"}, "name": {"type": "string"}, "versions": nstr,
          "matches": {"type": "array", "items": {"type": "object", "required": ["layer", "region", "lambdaLayer", "version", "layerVersionArn", "packageVersion"], "properties": {
              "layer": {"type": "string"}, "region": {"type": "string"}, "lambdaLayer": {"type": "string"},
              "version": {"type": "integer"}, "layerVersionArn": {"type": "string"}, "packageVersion": {"type": "string"}}}}}},
      "Arn": {"type": "object", "required": ["layerVersionArn", "region"], "properties": {
          "layerVersionArn": {"type": "string", "pattern": "^arn:aws[a-z-]*:lambda:"}, "region": {"type": "string"}}},
    }},
}
import copy
upd = copy.deepcopy(doc["components"]["schemas"]["LayerDefinition"])
upd["required"] = [r for r in upd["required"] if r != "name"]
upd["description"] = "as LayerDefinition; the name may be left out (it is the path's)"
doc["components"]["schemas"]["LayerDefinitionUpdate"] = upd
out = os.path.join(os.path.dirname(__file__), "..", "main", "resources", "dev", "accretion", "server", "openapi.json")
with open(out, "w") as f:
    json.dump(doc, f, indent=2, sort_keys=False)
    f.write("\n")
