-- Hostile rule file: the handler loop in a helper module the file requires:
-- the module's top level runs while the file loads (the test puts
-- hang_helper.lua in scripts/lib beside the rules folder).
-- expect-load: timeout: loading did not finish within 1 s and was stopped (a hang the instruction limit cannot stop); the file's rules are left out
local helper = require "hang_helper"
return {
  id = "hostile.load_via_helper",
  title = "hostile: load_via_helper",
  basis = "tests/hostile/load",
  kind = "compliance",
  level = "province",
  evaluate = function(r) return pass() end,
}
