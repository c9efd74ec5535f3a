-- The cut pool (粤财办〔2019〕1号 二(四)1) goes to the less developed cities
-- (欠发达地区) with the lowest guarantee level. The pool is the sum of the
-- year's finance.subsidy_cut amounts (every item).
--
-- Who may receive: a city of a zone named in params.eligible_zones (a
-- comma-separated list of core, east, west, north; default
-- "east,west,north", the cities outside the Pearl River Delta core), never
-- a city cut in the same year (its finance.subsidy_cut is `cut`), nor one
-- whose cut is not known. An unknown zone in the param is an error; a city
-- with no zone that could otherwise receive makes the finding `missing`,
-- naming it (its eligibility is unknown).
--
-- Ranking: the eligible cities by basic public service spending per
-- resident (fin.basic_service.spend ÷ pop.resident), in yuan rounded to
-- the fen, lowest first; equal levels in region-code order. The
-- params.recipients lowest (all of them when fewer are eligible, and the
-- note says so) share the pool in proportion to their resident
-- population:
--
--   allocation(city) = pool × residents(city) ÷ Σ residents(recipients)
--
-- in whole fen by the largest-remainder method (money.apportion), so the
-- allocations add up to the pool exactly. The note states the condition,
-- the ranking, the cities excluded as cut, and any tie at the boundary
-- that decided who received money ("并列：…人均支出相同…按地区代码先后").
--
-- The pool is never lost silently: when nothing can be allocated (no
-- eligible city, or recipients < 1) the finding is `fail` with the
-- unallocated pool as its measured value (元) and the note says why.
--
-- Nothing is allocated from a pool known to be incomplete: when the cut of
-- a city could not be evaluated (its finance.subsidy_cut finding is skip,
-- missing or error, or absent) the finding is `missing`, naming those
-- cities and the known part of the pool, unless params.allow_partial_pool
-- is true (default false): then the known part is allocated and the note
-- names the cities left out of it. Every eligible city must have a level
-- to be ranked (spending and residents, peers.totals): one without makes
-- the finding `missing`, naming it.
local money = require "money"
local peers = require "peers"
local facts = require "facts"

-- 一核一带一区: the zones a region may belong to, in this order in notes.
local ZONES = { "core", "east", "west", "north" }

-- The set of zones named by the param value (a comma-separated list), and
-- the list as written back in notes; raises on an unknown or empty name.
local function zone_set(value)
  if type(value) ~= "string" then
    error("params.eligible_zones must be a comma-separated list of zones "
          .. "(core, east, west, north), got " .. tostring(value), 2)
  end
  local set, known = {}, {}
  for _, z in ipairs(ZONES) do
    known[z] = true
  end
  for part in (value .. ","):gmatch("([^,]*),") do
    local z = part:match("^%s*(.-)%s*$")
    if not known[z] then
      error(string.format("params.eligible_zones: unknown zone '%s' in '%s' "
                          .. "(the zones are core, east, west, north)",
                          z, value), 2)
    end
    set[z] = true
  end
  local list = {}
  for _, z in ipairs(ZONES) do
    if set[z] then
      list[#list + 1] = z
    end
  end
  return set, table.concat(list, ",")
end

-- "揭阳市(445200)"
local function label(c)
  return string.format("%s(%s)", c.name or c.code, c.code)
end

return {
  id = "finance.cut_redistribution",
  title = "核减资金按常住人口分配给人均基本公共服务支出最低的欠发达地市",
  basis = "粤财办〔2019〕1号 二(四)1; 分配办法（示例）: 分配额 = 核减资金池 × 该市常住人口 "
    .. "÷ 入选各市常住人口之和, 入选 = 符合条件（eligible_zones 区域, 默认核心区以外的欠发达地区; "
    .. "当年被核减的地市除外）的地市中人均基本公共服务支出最低的 recipients 个市, "
    .. "并列按地区代码先后; 按分取整(最大余数法), 合计等于资金池",
  kind = "allocation",
  level = "province",
  effective = { from = 2019 },
  params = { recipients = 3, allow_partial_pool = false,
             eligible_zones = "east,west,north" },
  needs = { "finance.subsidy_cut" },
  evaluate = function(r)
    if type(params.allow_partial_pool) ~= "boolean" then
      error("params.allow_partial_pool must be true or false, got "
            .. tostring(params.allow_partial_pool))
    end
    -- a whole number an integer can hold (1e308 is whole, but no count)
    if type(params.recipients) ~= "number"
        or math.tointeger(params.recipients) == nil then
      error("params.recipients must be a whole number, got "
            .. tostring(params.recipients))
    end
    local zones, zones_text = zone_set(params.eligible_zones)
    local cities = r:children("city")

    -- The pool is summed in whole fen, as the cuts were recorded. A city
    -- whose cut is known is `cut` or `pass`; any other outcome (skip,
    -- missing, error) or no finding leaves the pool incomplete, and the
    -- city out of the recipients (it may have been cut).
    local pool_fen, sources, unknown, cut_names = 0, {}, {}, {}
    local not_judged = {}
    for _, c in ipairs(cities) do
      local res = c:result("finance.subsidy_cut")
      local name = c.name or c.code
      if res and res.outcome == "cut" then
        pool_fen = pool_fen + money.to_fen(res.amount)
        sources[#sources + 1] = string.format("%s %.2f 元", name, res.amount)
        cut_names[#cut_names + 1] = name
        not_judged[c.code] = true
      elseif not res then
        unknown[#unknown + 1] = name .. "（无核减结果）"
        not_judged[c.code] = true
      elseif res.outcome ~= "pass" then
        unknown[#unknown + 1] = string.format("%s（%s）", name, res.outcome)
        not_judged[c.code] = true
      end
    end
    local pool = pool_fen / 100
    local unknown_note = ""
    if #unknown > 0 then
      unknown_note = "核减未能评估：" .. table.concat(unknown, "、")
    end

    -- The eligible cities: of a named zone, and neither cut this year nor
    -- of an unknown cut. A city with no zone cannot be judged.
    local eligible, no_zone = {}, {}
    for _, c in ipairs(cities) do
      if not not_judged[c.code] then
        if c.zone == nil then
          no_zone[#no_zone + 1] = label(c)
        elseif zones[c.zone] then
          eligible[#eligible + 1] = c
        end
      end
    end
    local rule_note = string.format(
      "受援条件：eligible_zones = %s 的地市（欠发达地区），当年被核减或核减未能评估的地市除外",
      zones_text)
    if #cut_names > 0 then
      rule_note = rule_note .. "（当年被核减：" .. table.concat(cut_names, "、") .. "）"
    end

    -- Every eligible city must have a level to be ranked (peers.totals):
    -- one lacking spending or residents makes the ranking unknown.
    local all, gap, gap_list
    if #eligible > 0 and
        (pool_fen > 0 or (#unknown > 0 and not params.allow_partial_pool)) then
      all, gap, gap_list = peers.totals(eligible, "fin.basic_service.spend",
                              "pop.resident", { each = true })
    end

    if #unknown > 0 and not params.allow_partial_pool then
      local note = string.format(
        "核减资金池不完整，不予分配：%s；已知核减 %.2f 元%s"
          .. "（参数 allow_partial_pool = true 时按已知部分分配）",
        unknown_note, pool,
        #sources > 0 and "（" .. table.concat(sources, "、") .. "）" or "")
      if gap then
        note = note .. "；" .. gap.note
      end
      return missing(note, gap_list and facts.entries(gap_list) or nil)
    end
    local partial_note = ""
    if #unknown > 0 then
      partial_note = "；部分资金池（allow_partial_pool）：" .. unknown_note
    end
    if pool_fen <= 0 then
      return skip("本年度无核减资金" .. partial_note)
    end
    if #no_zone > 0 then
      return missing(string.format(
        "核减资金 %.2f 元未分配：地市未划分区域（zone），无法判断是否符合受援条件：%s",
        pool, table.concat(no_zone, "、")))
    end
    -- Nothing to give the pool to: the finding fails and carries the
    -- unallocated pool, so that it is never lost silently.
    local function unallocated(why)
      return fail({ measured = pool, required = 0, unit = "元", note =
        string.format("核减资金 %.2f 元%s，未分配（%s）；%s%s", pool, why,
                      table.concat(sources, "、"), rule_note,
                      partial_note) })
    end
    if #eligible == 0 then
      return unallocated("无符合受援条件的地市")
    end
    if not all then
      return gap
    end

    -- The ranking: per-resident level in fen, lowest first; equal levels
    -- in code order.
    local ranked = {}
    for i, c in ipairs(all.regions) do
      ranked[i] = c
      c.fen = money.to_fen(c.value)
    end
    table.sort(ranked, function(a, b)
      if a.fen ~= b.fen then return a.fen < b.fen end
      return a.code < b.code
    end)
    if params.recipients < 1 then
      return unallocated(string.format("无可分配的地市（参数 recipients = %d）",
                                       math.floor(params.recipients)))
    end
    local n = math.min(math.floor(params.recipients), #ranked)

    local notes = { rule_note,
                    "排序：人均基本公共服务支出（按分）由低到高，并列按地区代码先后" }
    if params.recipients > #ranked then
      notes[#notes + 1] = string.format(
        "参数 recipients = %d 多于符合条件的地市（%d 个），全部入选",
        math.floor(params.recipients), #ranked)
    end
    -- A tie across the boundary decided who received money: say so.
    if n < #ranked and ranked[n].fen == ranked[n + 1].fen then
      local tied, chosen_tied, left = {}, {}, {}
      for i, c in ipairs(ranked) do
        if c.fen == ranked[n].fen then
          tied[#tied + 1] = label(c)
          if i <= n then
            chosen_tied[#chosen_tied + 1] = label(c)
          else
            left[#left + 1] = label(c)
          end
        end
      end
      notes[#notes + 1] = string.format(
        "并列：%s 人均支出相同（%.2f 元），按地区代码先后：%s 入选，%s 未入选",
        table.concat(tied, "、"), ranked[n].fen / 100,
        table.concat(chosen_tied, "、"), table.concat(left, "、"))
    end

    local weights, chosen = {}, {}
    for i = 1, n do
      local c = ranked[i]
      weights[c.code] = c.count
      chosen[#chosen + 1] = string.format("%s（人均 %.2f 元，常住 %.0f 人）",
                                          c.name, c.fen / 100, c.count)
    end
    return distribute(money.apportion(pool, weights), string.format(
      "核减资金 %.2f 元（%s）分配给：%s；%s%s", pool,
      table.concat(sources, "、"), table.concat(chosen, "、"),
      table.concat(notes, "；"), partial_note))
  end,
}
