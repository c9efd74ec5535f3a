---@meta check
-- check.lua - makes `require "check"` in a rule file typed for the Lua language
-- server: the module's definitions are in equirule.lua beside this file;
-- the module itself is scripts/lib/check.lua.

---@type equirule.check
local check = {}
return check
