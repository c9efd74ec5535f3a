---@meta money
-- money.lua - makes `require "money"` in a rule file typed for the Lua language
-- server: the module's definitions are in equirule.lua beside this file;
-- the module itself is scripts/lib/money.lua.

---@type equirule.money
local money = {}
return money
