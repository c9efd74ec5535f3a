-- Hostile rule: a city-level rule distributes (each of 21 cities once
-- wrote allocation rows for the same regions, rule and year).
-- level: city
-- expect: error: distribute: only a province-level rule can distribute (this rule's level is city)
return {
  id = "hostile.distribute_from_city",
  title = "hostile: distribute_from_city",
  basis = "tests/hostile",
  kind = "allocation",
  level = "city",
  evaluate = function(r)
    return distribute({["440100"] = 1, ["440300"] = 1})
  end,
}
