---@meta inequality
-- inequality.lua - makes `require "inequality"` in a rule file typed for the
-- Lua language server: the module's definitions are in equirule.lua beside
-- this file; the module itself is scripts/lib/inequality.lua.

---@type equirule.inequality
local inequality = {}
return inequality
