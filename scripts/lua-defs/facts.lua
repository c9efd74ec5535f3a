---@meta facts
-- facts.lua - makes `require "facts"` in a rule file typed for the Lua language
-- server: the module's definitions are in equirule.lua beside this file;
-- the module itself is scripts/lib/facts.lua.

---@type equirule.facts
local facts = {}
return facts
