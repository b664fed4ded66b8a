import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PLAYGROUND } from "../servers";

test("the production client bundle holds no loader, action, live function, database or stream code", () => {
  const assets = path.join(PLAYGROUND, "build/client/assets");
  const client = readdirSync(assets)
    .filter((file) => file.endsWith(".js"))
    .map((file) => readFileSync(path.join(assets, file), "utf8"))
    .join("\n");
  expect(client).toContain("EventSource");
  for (const serverOnly of ["better-sqlite3", "INSERT INTO", "listMessages", "addMessage", "createEventStream", "journal_mode",
    // the rooms' live function and what it imports
    "requireUser", "assertCanRead", "members only", "serveLiveStream"]) {
    expect(client, `${serverOnly} in build/client`).not.toContain(serverOnly);
  }
});
