-- Hostile rule: an address in a note (tostring of a table or a function,
-- string.format's %s of one): addresses change from run to run, so they
-- are written as the type.
-- expect: pass: table function table|function
return {
  id = "hostile.address_in_note",
  title = "hostile: address_in_note",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(tostring({}) .. " " .. tostring(pass) .. " " ..
                string.format("%s|%s", {}, pass))
  end,
}
