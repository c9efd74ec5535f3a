-- Hostile rule: string.format writes a table without its address for %s
-- only; other conversions get the argument itself (a table whose __name is
-- "42" is not a number for %d, and %q of a table has no literal form).
-- expect: pass: false false   1.5 table Q
return {
  id = "hostile.format_conversions",
  title = "hostile: string.format conversions",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local ok1 = pcall(string.format, "%d", setmetatable({}, { __name = "42" }))
    local ok2 = pcall(string.format, "%q", {})
    local s = string.format("%5.1f %s %s", 1.5, {},
                            setmetatable({}, { __name = "Q" }))
    return pass(tostring(ok1) .. " " .. tostring(ok2) .. " " .. s)
  end,
}
