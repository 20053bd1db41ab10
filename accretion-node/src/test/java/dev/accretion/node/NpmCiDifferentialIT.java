package dev.accretion.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.Placement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bar of the Node.js builder, held against npm 11 itself: for real production dependency sets
 * (package.json + package-lock.json generated with npm, committed under {@code npm-sets/}), the
 * files the builder lays out under {@code nodejs/node_modules} are exactly the files {@code npm ci
 * --omit=dev --ignore-scripts --os=linux --cpu=<x64|arm64>} installs from the same lock (paths,
 * bytes and the execute bit; {@code .bin} links and {@code .package-lock.json} aside), and for
 * x86_64 Node.js 20 with {@code NODE_PATH=<layer>/nodejs/node_modules} requires every direct
 * dependency and runs a smoke call.
 *
 * <p>CI runs a representative subset; {@code -Daccretion.node.allSets=true} runs every set.
 */
class NpmCiDifferentialIT {
  /** One set: its folder, the targets to check and the smoke script. */
  record NpmSet(String name, List<Architecture> archs, String smoke, boolean inCi) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<NpmSet> SETS =
      List.of(
          new NpmSet(
              "express",
              List.of(Architecture.X86_64),
              "const app = require('express')(); app.get('/', (q, r) => r.send('ok')); if (typeof app.listen !== 'function') throw 1;",
              true),
          new NpmSet(
              "sharp",
              List.of(Architecture.X86_64, Architecture.ARM64),
              "require('sharp')({create:{width:2,height:2,channels:3,background:'red'}}).png().toBuffer().then(b => { if (b.length < 10) process.exit(3) });",
              true),
          new NpmSet(
              "esbuild",
              List.of(Architecture.X86_64, Architecture.ARM64),
              "const out = require('esbuild').transformSync('let x: number = 1', {loader: 'ts'}); if (!out.code.includes('let x = 1')) process.exit(3);",
              true),
          new NpmSet(
              "jwt-bcryptjs",
              List.of(Architecture.X86_64),
              "const jwt = require('jsonwebtoken'); const t = jwt.sign({a: 1}, 's'); if (jwt.verify(t, 's').a !== 1) process.exit(3); const b = require('bcryptjs'); if (!b.compareSync('x', b.hashSync('x', 4))) process.exit(4);",
              true),
          new NpmSet(
              "axios-zod",
              List.of(Architecture.X86_64),
              "const axios = require('axios'); axios.create({baseURL: 'http://127.0.0.1'}); const { z } = require('zod'); z.object({a: z.number()}).parse({a: 1});",
              true),
          new NpmSet(
              "pg-knex",
              List.of(Architecture.X86_64),
              "new (require('pg').Client)(); const sql = require('knex')({client: 'pg'}).select('a').from('t').toString(); if (!sql.includes('select')) process.exit(3);",
              true),
          new NpmSet(
              "utils",
              List.of(Architecture.X86_64),
              "require('lodash').chunk([1,2,3], 2); require('lodash4').VERSION === '4.17.20' || process.exit(3); require('dayjs')(); require('uuid').v4(); require('moment')();",
              true),
          new NpmSet(
              "aws-sdk",
              List.of(Architecture.X86_64),
              "new (require('@aws-sdk/client-s3').S3Client)({region: 'us-east-1'}); const { DynamoDBDocumentClient } = require('@aws-sdk/lib-dynamodb'); DynamoDBDocumentClient.from(new (require('@aws-sdk/client-dynamodb').DynamoDBClient)({region: 'us-east-1'}));",
              false),
          new NpmSet(
              "fastify",
              List.of(Architecture.X86_64),
              "const f = require('fastify')(); f.get('/', async () => 'ok'); f.inject({url: '/'}).then(r => { if (r.body !== 'ok') process.exit(3) });",
              false),
          new NpmSet(
              "cli-tools",
              List.of(Architecture.X86_64, Architecture.ARM64),
              "require('winston').createLogger(); require('yargs')(['--a', '1']).argv; require('chalk').red('x'); require('dotenv');",
              false),
          new NpmSet(
              "validation",
              List.of(Architecture.X86_64),
              "const Ajv = require('ajv'); const ajv = new Ajv(); require('ajv-formats')(ajv); if (!ajv.validate({type: 'string', format: 'email'}, 'a@b.co')) process.exit(3); require('joi').string().validate('x'); require('date-fns').addDays(new Date(0), 1);",
              false));

  static Stream<NpmSet> sets() {
    boolean all = Boolean.getBoolean("accretion.node.allSets");
    return SETS.stream().filter(s -> all || s.inCi());
  }

  static final Path SETS_DIR = Path.of("src/test/resources/npm-sets");
  static final Path CACHE = Path.of("target/node-it-cache");

  @ParameterizedTest
  @MethodSource("sets")
  void layerEqualsNpmCi(NpmSet set, @TempDir Path tmp) throws Exception {
    for (Architecture arch : set.archs()) {
      Path project = tmp.resolve(arch.lambdaName()).resolve("project");
      Files.createDirectories(project);
      for (String f : List.of("package.json", "package-lock.json")) {
        Files.copy(SETS_DIR.resolve(set.name()).resolve(f), project.resolve(f));
      }
      String cpu = arch == Architecture.ARM64 ? "arm64" : "x64";
      NodeTools.run(
              List.of(
                  "npm",
                  "ci",
                  "--omit=dev",
                  "--ignore-scripts",
                  "--os=linux",
                  "--cpu=" + cpu,
                  "--no-audit",
                  "--no-fund",
                  "--loglevel=error"),
              project,
              null,
              Map.of())
          .requireSuccess("npm ci for " + set + " on " + cpu);
      Map<String, String> npmTree = tree(project.resolve("node_modules"));
      assertThat(npmTree).as("npm ci installed files for %s", set).isNotEmpty();

      Target target =
          SessionBuild.target(arch == Architecture.ARM64 ? "nodejs22.x" : "nodejs20.x", arch);
      Path layer = tmp.resolve(arch.lambdaName()).resolve("layer");
      SessionBuild.Result result =
          SessionBuild.build(
              project.resolve("package.json"),
              target,
              Placement.LAYER,
              BuilderOptions.none(),
              SessionBuild.context(
                  SessionBuild.cleanEnv(),
                  tmp.resolve("home"),
                  CACHE.toAbsolutePath(),
                  BuildListener.NONE),
              CACHE.resolve("blobs").toAbsolutePath(),
              layer);
      Map<String, String> mine = new TreeMap<>();
      for (LayerFile f : result.files().values()) {
        assertThat(f.path()).startsWith("nodejs/node_modules/");
        if (f.path().equals("nodejs/node_modules/.package-lock.json")) {
          continue;
        }
        mine.put(
            f.path().substring("nodejs/node_modules/".length()),
            f.sha256() + (f.executable() ? " x" : ""));
      }
      assertThat(mine)
          .as("%s on %s: files (path -> sha256 and execute bit) vs npm ci", set, cpu)
          .isEqualTo(npmTree);

      if (arch == Architecture.X86_64) {
        Path cwd = tmp.resolve("cwd");
        Files.createDirectories(cwd);
        StringBuilder script = new StringBuilder();
        for (String dep : directDependencies(project)) {
          script.append("require('").append(dep).append("');\n");
        }
        script.append(set.smoke());
        NodeTools.run(
                List.of("node", "-e", script.toString()),
                cwd,
                null,
                Map.of(
                    "NODE_PATH", layer.resolve("nodejs/node_modules").toAbsolutePath().toString()))
            .requireSuccess("node 20 requiring " + set + " from the layer");
      }
    }
  }

  static List<String> directDependencies(Path project) throws Exception {
    var pj =
        dev.accretion.node.json.JsonText.parseObject(
            Files.readString(project.resolve("package.json")));
    List<String> out =
        new ArrayList<>(
            dev.accretion.node.json.JsonValues.stringMap(pj.get("dependencies")).keySet());
    return out;
  }

  /** npm's installed files: path -> sha256 (+ " x" when any execute bit is set). */
  static Map<String, String> tree(Path nodeModules) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(nodeModules)) {
      walk.forEach(
          p -> {
            try {
              String rel = nodeModules.relativize(p).toString();
              if (rel.equals(".package-lock.json")
                  || rel.equals(".bin")
                  || rel.startsWith(".bin/")
                  || rel.contains("/.bin/")
                  || rel.endsWith("/.bin")
                  || Files.isSymbolicLink(p)
                  || !Files.isRegularFile(p)) {
                return;
              }
              Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
              boolean x =
                  perms.contains(PosixFilePermission.OWNER_EXECUTE)
                      || perms.contains(PosixFilePermission.GROUP_EXECUTE)
                      || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
              out.put(rel, SessionBuild.sha256Hex(Files.readAllBytes(p)) + (x ? " x" : ""));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
    return out;
  }
}
