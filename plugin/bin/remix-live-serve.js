#!/usr/bin/env node
// The command's entry lives in the source tree, so that npm links it even before dist/ is built
// (a workspace checkout); the command itself is dist/serve/cli.js.
import "../dist/serve/cli.js";
