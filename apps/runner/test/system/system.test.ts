/**
 * The system suite of the hub↔Zhibang pair: generated histories of edits on both sides, runs with faults and crashes,
 * and rollbacks, against the whole stack, checking after every command that the two systems converge under the
 * user's policies. See docs/adapter-guide.md for how to run it and read a failure.
 */
import { systemSuite } from "../../src/testing.js"
import { hubZhibang } from "./suite.js"

systemSuite(hubZhibang)
