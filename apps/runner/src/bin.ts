#!/usr/bin/env node
import { defaultPair } from "./DefaultPair.js"
import { main } from "./Runner.js"

main({ pair: defaultPair })
