// Makes sure the shared Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432) the test suite
// needs are up, starting them with the machine's own start commands when they are down, and that
// PostgreSQL has a `test` database. Never skips silently: when a service cannot be brought up it
// says which one, what was tried and how to install/start it, and exits with code 1.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import net from "node:net";
import { setTimeout as delay } from "node:timers/promises";

const HOST = "127.0.0.1";
const REDIS_PORT = 6379;
const PG_PORT = 5432;
const DEADLINE_MS = 30_000;
const POLL_INTERVAL_MS = 200;
const INSTALL_HINT = "apt-get install -y redis-server postgresql";

/** Runs a command without a shell; returns { ok, output } and never throws. */
function run(command, args, timeoutMs = 20_000) {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: timeoutMs });
  const output = [result.error?.message, result.stdout, result.stderr]
    .filter(Boolean)
    .join("\n")
    .trim();
  return { ok: !result.error && result.status === 0, output };
}

function hasCommand(name) {
  return run("bash", ["-c", `command -v ${name}`]).ok;
}

/** Resolves true when Redis on HOST:port answers `PING` with `+PONG`, false otherwise. */
function redisPing(port, timeoutMs = 2_000) {
  return new Promise((resolve) => {
    let reply = "";
    let settled = false;
    const socket = net.connect({ host: HOST, port });
    const finish = (ok) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk;
      if (reply.includes("\r\n")) finish(reply.startsWith("+PONG"));
    });
    socket.on("error", () => finish(false));
    socket.on("close", () => finish(false));
  });
}

function postgresReady() {
  return run("pg_isready", ["-h", HOST, "-p", String(PG_PORT)], 5_000).ok;
}

/** Polls `check` (sync or async) until it returns true or the deadline passes. */
async function pollUntil(check, timeoutMs = DEADLINE_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await delay(POLL_INTERVAL_MS);
  }
}

function fail(service, tried, details) {
  console.error(
    [
      `[services] ${service} is NOT reachable on ${HOST}:${service === "Redis" ? REDIS_PORT : PG_PORT}.`,
      `[services] Tried: ${tried}`,
      details ? `[services] Details:\n${details.replace(/^/gm, "    ")}` : undefined,
      `[services] To install it: ${INSTALL_HINT}`,
      service === "Redis"
        ? `[services] To start it: ${redisStartCommand()}`
        : `[services] To start it: ${postgresStartCommand() ?? "pg_ctlcluster --skip-systemctl-redirect <version> main start"}`,
    ]
      .filter(Boolean)
      .join("\n"),
  );
  process.exit(1);
}

function redisStartCommand() {
  return (
    `redis-server --daemonize yes --bind 127.0.0.1 -::1 --port ${REDIS_PORT} --save "" ` +
    `--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log`
  );
}

function postgresStartCommand() {
  const versions = existsSync("/etc/postgresql") ? readdirSync("/etc/postgresql") : [];
  if (versions.length === 0) return undefined;
  return `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`;
}

async function ensureRedis() {
  if (await redisPing(REDIS_PORT)) {
    console.log(`[services] Redis is up on ${HOST}:${REDIS_PORT} (already running)`);
    return;
  }
  const command = redisStartCommand();
  if (!hasCommand("redis-server")) {
    fail("Redis", "nothing: redis-server is not installed (not on PATH)");
  }
  console.log(`[services] Redis is down; starting it: ${command}`);
  // The start command writes its data and log there; make sure they exist.
  for (const dir of ["/var/lib/redis", "/var/log/redis"]) mkdirSync(dir, { recursive: true });
  const started = run("bash", ["-c", command]);
  if (!(await pollUntil(() => redisPing(REDIS_PORT)))) {
    const log = run("bash", ["-c", "tail -n 20 /var/log/redis/ci.log"]).output;
    fail(
      "Redis",
      `${command} (exit ${started.ok ? "ok" : "failed"}), then PING for ${DEADLINE_MS / 1000} s`,
      [started.output, log && `last lines of /var/log/redis/ci.log:\n${log}`].filter(Boolean).join("\n"),
    );
  }
  console.log(`[services] Redis is up on ${HOST}:${REDIS_PORT} (started it)`);
}

async function ensurePostgres() {
  let startedIt = false;
  if (!postgresReady()) {
    const command = postgresStartCommand();
    if (!hasCommand("pg_isready")) {
      fail("PostgreSQL", "nothing: pg_isready is not installed (the PostgreSQL client tools are missing)");
    }
    if (!command || !hasCommand("pg_ctlcluster")) {
      fail("PostgreSQL", "nothing: no cluster under /etc/postgresql or pg_ctlcluster missing (server not installed)");
    }
    console.log(`[services] PostgreSQL is down; starting it: ${command}`);
    const started = run("bash", ["-c", command], 60_000);
    if (!(await pollUntil(postgresReady))) {
      fail(
        "PostgreSQL",
        `${command} (exit ${started.ok ? "ok" : "failed"}), then pg_isready for ${DEADLINE_MS / 1000} s`,
        started.output,
      );
    }
    startedIt = true;
  }

  // The suite connects to the `test` database: create it when missing.
  const query = run("psql", [
    "-h", HOST, "-p", String(PG_PORT), "-U", "postgres", "-d", "postgres",
    "-tAc", "select 1 from pg_database where datname = 'test'",
  ]);
  if (!query.ok) {
    fail("PostgreSQL", "psql -U postgres -d postgres (to look for the `test` database)", query.output);
  }
  let createdDb = false;
  if (query.output !== "1") {
    const created = run("createdb", ["-h", HOST, "-p", String(PG_PORT), "-U", "postgres", "test"]);
    if (!created.ok) fail("PostgreSQL", "createdb -h 127.0.0.1 -U postgres test", created.output);
    createdDb = true;
  }
  const check = run("psql", ["-h", HOST, "-p", String(PG_PORT), "-U", "postgres", "-d", "test", "-tAc", "select 1"]);
  if (!check.ok) fail("PostgreSQL", "psql -h 127.0.0.1 -U postgres -d test -c 'select 1'", check.output);

  console.log(
    `[services] PostgreSQL is up on ${HOST}:${PG_PORT} (${startedIt ? "started it" : "already running"}; ` +
      `database test ${createdDb ? "created" : "exists"})`,
  );
}

await ensureRedis();
await ensurePostgres();
