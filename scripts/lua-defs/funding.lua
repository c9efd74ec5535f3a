---@meta funding
-- funding.lua - makes `require "funding"` in a rule file typed for the Lua language
-- server: the module's definitions are in equirule.lua beside this file;
-- the module itself is scripts/lib/funding.lua.

---@type equirule.funding
local funding = {}
return funding
