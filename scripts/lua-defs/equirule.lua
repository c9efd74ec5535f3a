---@meta equirule
-- equirule.lua - definitions for the Lua language server (LuaLS) of what a
-- rule file sees: the region view `r`, the outcome constructors, `params`,
-- the allowed base functions, the rule table, the test case table, the
-- helper modules of scripts/lib (stats, money, funding, peers, check) and
-- the test-support module of scripts/testlib (testkit). Never run:
-- the engine defines all of this itself (core/engine/sandbox.c, core/engine/view.c,
-- core/engine/outcome.c). Pointed at by .luarc.json at the repository root.
--
-- In a rule file, annotate the returned table to get completion and checks
-- inside evaluate:
--
--   ---@type equirule.Rule
--   return { id = "health.x", ..., evaluate = function(r) ... end }
--
-- and in a test file:
--
--   ---@type equirule.TestCase[]
--   return { { name = "...", year = 2019, ... } }

---@alias equirule.Level "province"|"city"|"county"
---@alias equirule.Zone "core"|"east"|"west"|"north"
---@alias equirule.Scope "national"|"provincial"|"local"
---@alias equirule.Kind "compliance"|"cut"|"allocation"|"indicator"
---@alias equirule.OutcomeName "pass"|"fail"|"warn"|"skip"|"cut"|"allocation"|"missing"|"error"
---@alias equirule.Param number|string|boolean

---The region view: one region in one year (`r` in evaluate). Read-only.
---@class equirule.Region
---@field code string 6-digit GB/T 2260 code, e.g. "441400"
---@field name string e.g. "梅州市"
---@field name_en string|nil
---@field level equirule.Level
---@field zone equirule.Zone|nil 一核一带一区; nil for the province
---@field tier integer|nil the provincial cost-sharing tier (分档)
---@field parent string|nil the parent region's code
---@field year integer the year being evaluated
local Region = {}

---The value of a metric for this region, in `r.year` or `year`. A missing
---value stops the evaluation with outcome `missing` (a data gap); `pcall`
---cannot hide it.
---@param metric string e.g. "pop.resident"
---@param year? integer
---@return number
function Region:fact(metric, year) end

---Whether the metric has a value for this region in `r.year` or `year`.
---@param metric string
---@param year? integer
---@return boolean
function Region:has(metric, year) end

---The standard in force in `r.year`: with no scope, the binding minimum
---(the larger of national and provincial); with a scope, that scope's
---("local": the region's own, else its nearest ancestor's). nil when none.
---@param key string an item code or item code with a variant, e.g. "edu.public_funds.primary"
---@param scope? equirule.Scope
---@return number|nil
function Region:standard(key, scope) end

---The provincial share of the item's required funding for the region's
---tier in `r.year` (0 to 1). Missing (outcome `missing`) when none is set.
---@param item string
---@return number
function Region:share(item) end

---The city-county split of the item in `r.year`: the city's part (0..1)
---of the funding the province does not pay, the rest being its counties'.
---Read from the region's city (for a county: its city's); the city's row
---for the item, else its default row. Stops the evaluation with outcome
---`missing` when none is in force; an error for a region in no city.
---@param item string
---@return number
function Region:split(item) end

---@class equirule.TransferOptions
---@field payer? "province"|"city" who paid: the province (default) or, to a county, its city

---The transfer paid to the region for the item in `r.year`, in yuan; 0 if
---none. By default the province's; `{ payer = "city" }` reads what a
---county received from its city.
---@param item string
---@param opts? equirule.TransferOptions
---@return number
function Region:transfer(item, opts) end

---The national average (全国平均水平) of a standard key (an item code, or an
---item code and a variant) in `r.year`, in the unit of the key's national
---standard; nil when the data holds none. A key that names no item is an
---error.
---@param key string
---@return number|nil
function Region:national_average(key) end

---The region views below this one, in code order: the direct children, or
---every descendant of `level`.
---@param level? equirule.Level
---@return equirule.Region[]
function Region:children(level) end

---The view of any region in the same year, or nil for an unknown code.
---@param code string
---@return equirule.Region|nil
function Region:region(code) end

---The finding of a rule named in `needs` for this region and year, or nil.
---@param rule_id string
---@return equirule.Result|nil
function Region:result(rule_id) end

---Rows of one read-only, parameterized SELECT over the data tables (region,
---metric, fact, item, standard, share, transfer, national_average), each
---row keyed by column.
---@param query string
---@param ... string|number|boolean|nil the `?` parameters
---@return table<string, string|number>[]
function Region:sql(query, ...) end

---A finding of a needed rule, as r:result returns it.
---@class equirule.Result
---@field outcome equirule.OutcomeName
---@field measured number|nil
---@field required number|nil
---@field amount number|nil yuan
---@field unit string|nil
---@field note string|nil

---What evaluate returns: made by the constructors below only.
---@class equirule.Outcome
---@field outcome equirule.OutcomeName

---@class equirule.CompareOpts
---@field unit? string e.g. "元/人"
---@field note? string
---@field warn_within? number a relative band that gives `warn` instead of `fail`

---@class equirule.NoteOpts
---@field unit? string
---@field note? string
---@field measured? number
---@field required? number

---`pass` when value >= minimum, else `fail` (or `warn` within
---opts.warn_within); measured = value, required = minimum.
---@param value number
---@param minimum number
---@param opts? equirule.CompareOpts|string options, or a note
---@return equirule.Outcome
function at_least(value, minimum, opts) end

---`pass` when value <= maximum, else `fail` (or `warn` within
---opts.warn_within); measured = value, required = maximum.
---@param value number
---@param maximum number
---@param opts? equirule.CompareOpts|string
---@return equirule.Outcome
function at_most(value, maximum, opts) end

---@param opts? equirule.NoteOpts|string a note, or options
---@return equirule.Outcome
function pass(opts) end

---@param opts? equirule.NoteOpts|string
---@return equirule.Outcome
function fail(opts) end

---@param opts? equirule.NoteOpts|string
---@return equirule.Outcome
function warn(opts) end

---The rule does not apply here.
---@param opts? equirule.NoteOpts|string
---@return equirule.Outcome
function skip(opts) end

---A data gap the rule found itself: outcome `missing`, recorded as the
---engine records one (a data gap, failing for the exit status). The note is
---required and says what is missing, e.g. the regions an aggregate lacks.
---`gaps` lists what was lacking, one run_gap row each, counted in the
---run's data-gap summary: { region = code, metric = key, year = y } (or
---item, standard, transfer instead of metric; region and year default to
---the evaluation's). A bad entry is an error at the call.
---@param opts equirule.NoteOpts|string
---@param gaps? equirule.GapEntry[]
---@return equirule.Outcome
function missing(opts, gaps) end

---@class equirule.GapEntry
---@field region? string a region code (default: the evaluated region)
---@field year? integer default: the evaluation's year
---@field metric? string a metric key of the catalog
---@field item? string an item lacking its provincial share
---@field standard? string a standard key
---@field transfer? string an item lacking its transfer

---A transfer-payment cut (核减) of `amount_yuan` for this region; cut(0)
---gives `pass`. The engine rounds to the fen when it records it.
---@param amount_yuan number not negative
---@param opts? equirule.NoteOpts|string
---@return equirule.Outcome
function cut(amount_yuan, opts) end

---From a province-level rule: one `allocation` finding per region named,
---with its amount (yuan). An empty table gives `pass`.
---@param allocations table<string, number> { [code] = amount_yuan }
---@param opts? equirule.NoteOpts|string
---@return equirule.Outcome
function distribute(allocations, opts) end

---An indicator with its target: `pass` or `fail`; measured = value,
---required = target.
---@param value number
---@param target number
---@param op "<="|">="
---@param opts? equirule.NoteOpts|string
---@return equirule.Outcome
function indicator(value, target, op, opts) end

---The rule's params with the run's overrides (`--set RULE.PARAM=VALUE`)
---applied. Read-only.
---@type table<string, equirule.Param>
params = {}

---@class equirule.Effective
---@field from? integer first year, inclusive
---@field to? integer last year, inclusive

---A rule: what a rule file returns (one, or a list of them).
---@class equirule.Rule
---@field id string "<department>.<name>", the department being the folder
---@field title string
---@field basis string the policy text it rests on
---@field item? string the item code (DOMAIN.md)
---@field kind equirule.Kind
---@field level equirule.Level|equirule.Level[] the regions it evaluates: one level, or a list of them without repeats ({ "city", "county" })
---@field effective? equirule.Effective
---@field params? table<string, equirule.Param> named constants, overridable per run
---@field needs? string[] ids of rules whose results it reads (r:result)
---@field evaluate fun(r: equirule.Region): equirule.Outcome

---@class equirule.Expect
---@field outcome? equirule.OutcomeName
---@field measured? number compared to six significant digits
---@field required? number
---@field amount? number yuan, compared to the fen
---@field note? string a substring of the note
---@field unit? string

---@class equirule.TestRegion
---@field code string
---@field level equirule.Level
---@field name? string
---@field name_en? string
---@field parent? string
---@field zone? equirule.Zone
---@field tier? integer

---A case of a <name>_test.lua file.
---@class equirule.TestCase
---@field name string
---@field year integer
---@field regions equirule.TestRegion[]
---@field facts? table<string, table<string, number|table<integer, number>>> { [code] = { [metric] = value or { [year] = value } } }
---@field standards? table<string, { national?: number|table<integer, number>, provincial?: number|table<integer, number>, local?: table<string, number|table<integer, number>> }>
---@field shares? table<string, table<integer, number>> { [item] = { [tier] = share } }
---@field transfers? table with `city`: { [item] = yuan }; else { [code] = { [item] = yuan } }<string, table<string, number>> { [code] = { [item] = yuan } }
---@field national_averages? table<string, number|table<integer, number>> { [key] = value or { [year] = value } }
---@field params? table<string, table<string, equirule.Param>> { [rule] = { [param] = value } }
---@field rules? string[] the rules to run (default: those of the file under test)
---@field expect table<string, table<string, equirule.Expect|false>> { [rule] = { [code] = expect, or false for no finding } }

-- ---- the base functions a rule may use (the sandbox's allow-list) ----------

_VERSION = "Lua 5.4"

---@type table the rule's own environment
_G = {}

---@generic T
---@param v? T
---@param message? any
---@return T
function assert(v, message) end

---@param message any
---@param level? integer
function error(message, level) end

---@generic V
---@param t V[]
---@return fun(t: V[], i: integer): integer, V
---@return V[]
---@return integer
function ipairs(t) end

---@generic K, V
---@param t table<K, V>
---@param k? K
---@return K|nil
---@return V|nil
function next(t, k) end

---@generic K, V
---@param t table<K, V>
---@return fun(t: table<K, V>, k?: K): K, V
---@return table<K, V>
function pairs(t) end

---@param f function
---@param ... any
---@return boolean ok
---@return any ...
function pcall(f, ...) end

---@param f function
---@param handler function
---@param ... any
---@return boolean ok
---@return any ...
function xpcall(f, handler, ...) end

---@param a any
---@param b any
---@return boolean
function rawequal(a, b) end

---@param t table
---@param k any
---@return any
function rawget(t, k) end

---@param v table|string
---@return integer
function rawlen(v) end

---Refused on the rule environment.
---@param t table
---@param k any
---@param v any
---@return table
function rawset(t, k, v) end

---@param n integer|"#"
---@param ... any
---@return any
function select(n, ...) end

---@param e any
---@param base? integer
---@return number|nil
function tonumber(e, base) end

---@param v any
---@return string
function tostring(v) end

---@param v any
---@return "nil"|"number"|"string"|"boolean"|"table"|"function"|"thread"|"userdata"
function type(v) end

---Refuses __gc, __close and __mode.
---@generic T: table
---@param t T
---@param mt table|nil
---@return T
function setmetatable(t, mt) end

---Not of strings (the string metatable is locked).
---@param v any
---@return table|nil
function getmetatable(v) end

---Text chunks only, into the rule's own environment.
---@param chunk string
---@param chunkname? string
---@return function|nil
---@return string|nil error
function load(chunk, chunkname) end

---A helper module of scripts/lib: "stats", "money", "funding", "peers" or
---"check"; in a test file also a test-support module of scripts/testlib
---("testkit"), which rule files cannot require.
---@param name "stats"|"money"|"funding"|"peers"|"check"|"testkit"
---@return any
function require(name) end

-- ---- the helper modules (scripts/lib) -----------------------------------

---Descriptive statistics for rule authors (scripts/lib/stats.lua).
---@class equirule.stats
local stats = {}
---The sum of the values; 0 for an empty list.
---@param xs number[]
---@return number
function stats.sum(xs) end
---The arithmetic mean.
---@param xs number[]
---@return number
function stats.mean(xs) end
---Σ w·x ÷ Σ w.
---@param xs number[]
---@param ws number[]
---@return number
function stats.weighted_mean(xs, ws) end
---Coefficient of variation (population standard deviation ÷ mean),
---weighted when ws is given.
---@param xs number[]
---@param ws? number[]
---@return number
function stats.cv(xs, ws) end
---(max − min) ÷ mean.
---@param xs number[]
---@return number
function stats.max_gap(xs) end
---Gini coefficient of non-negative values (0 = equal).
---@param xs number[]
---@param ws? number[]
---@return number
function stats.gini(xs, ws) end
---Theil T index of non-negative values (0 = equal).
---@param xs number[]
---@param ws? number[]
---@return number
function stats.theil(xs, ws) end
---Theil T index decomposed over groups: { total, between, within, names,
---groups = { [g] = { theil, share_pop, share_value, mean, n } } }, with
---between + within = total up to rounding.
---@param xs number[]
---@param ws? number[]
---@param groups (string|number)[]
---@return { total: number, between: number, within: number, names: (string|number)[], groups: table<string|number, { theil: number, share_pop: number, share_value: number, mean: number?, n: integer }> }
function stats.theil_groups(xs, ws, groups) end

---Yuan amounts rounded and split exactly to the fen (scripts/lib/money.lua).
---@class equirule.money
local money = {}
---yuan × 100 rounded half away from zero, as an integer.
---@param yuan number
---@return integer
function money.to_fen(yuan) end
---The amount rounded half away from zero to the fen, in yuan.
---@param yuan number
---@return number
function money.round_fen(yuan) end
---The amount in integer fen rounded down (toward minus infinity), from the
---same shortest decimal as to_fen: 5000000.555 → 500000055.
---@param yuan number
---@return integer
function money.floor_fen(yuan) end
---An amount due capped by what it may not pass, in integer fen:
---min(to_fen(due), floor_fen(cap)), never above the cap to the fen.
---@param due_yuan number not negative
---@param cap_yuan number not negative
---@return integer
function money.cap_fen(due_yuan, cap_yuan) end
---Splits a total between the keys of `weights` in proportion to them, each
---part a whole number of fen, the parts summing to the total exactly.
---@generic K
---@param total_yuan number
---@param weights table<K, number>
---@return table<K, number>
function money.apportion(total_yuan, weights) end

---@class equirule.FundingPart
---@field standard string standard key
---@field beneficiaries string metric
---@field spend string metric
---@field periods integer 12 for a monthly standard, else 1

---@class equirule.FundingItem
---@field item string
---@field name string
---@field parts equirule.FundingPart[]

---@class equirule.FundingNeedPart
---@field key string
---@field standard number
---@field beneficiaries number
---@field periods integer
---@field amount number

---@class equirule.FundingNeed
---@field total number yuan
---@field beneficiaries number
---@field parts equirule.FundingNeedPart[]
---@field lacking string[] the standard keys of the parts with no standard in force

---The funding an item with a unified standard requires
---(scripts/lib/funding.lua).
---@class equirule.funding
---@field items equirule.FundingItem[]
local funding = {}
---The entry of funding.items for an item code, or nil.
---@param code string
---@return equirule.FundingItem|nil
function funding.item(code) end
---Σ standard × beneficiaries × periods over the item's parts with a
---standard in force; nil when none has one.
---A count that is negative or not finite goes into gaps (or raises an
---error without gaps).
---@param r equirule.Region
---@param entry equirule.FundingItem
---@param scope? equirule.Scope
---@param gaps? equirule.Gaps
---@return equirule.FundingNeed|nil
function funding.required(r, entry, scope, gaps) end
---The region's spending on the item in r.year; a figure that is negative
---or not finite goes into gaps (or raises an error without gaps).
---@param r equirule.Region
---@param entry equirule.FundingItem
---@param gaps? equirule.Gaps
---@return number
function funding.spend(r, entry, gaps) end
---The arithmetic of a required(...) result as text.
---@param need equirule.FundingNeed
---@return string
function funding.describe(need) end

---@class equirule.Gap
---@field region string code
---@field name string the region's name, or its code
---@field metric string the metric (or other figure) lacking
---@field why string why, in Chinese, for a note

---A collector of data gaps (facts.gaps()).
---@class equirule.Gaps
---@field list equirule.Gap[]
local Gaps = {}
---The value when present, finite and not negative; else nil, recorded.
---@param region equirule.Region
---@param metric string
---@return number|nil
function Gaps:amount(region, metric) end
---The value when present, finite and above 0; else nil, recorded.
---@param region equirule.Region
---@param metric string
---@return number|nil
function Gaps:count(region, metric) end
---Records that the region lacks `what` (a metric key unless `gap` says
---otherwise: { item = key }, { transfer = item }, { standard = key }, or
---false for what is not data: in the note only) for the reason `why`.
---@param region equirule.Region
---@param what string
---@param why string
---@param gap? table|false
function Gaps:add(region, what, why, gap) end
---The recorded gaps as missing(note, gaps) takes them.
---@return equirule.GapEntry[]
function Gaps:entries() end
---Whether a gap was recorded.
---@return boolean
function Gaps:any() end
---"缺数据（2019年）：云浮市 pop.resident 为 0（须大于 0）、…"
---@param lead? string replaces "缺数据"
---@return string
function Gaps:note(lead) end
---missing(gaps:note(lead), gaps:entries()): the outcome to return.
---@param lead? string
---@return equirule.Outcome
function Gaps:missing(lead) end

---Reading figures without stopping at the first gap (scripts/lib/facts.lua).
---@class equirule.facts
local facts = {}
---An empty collector of gaps.
---@return equirule.Gaps
function facts.gaps() end
---The value when present and usable for kind ("amount": finite, not
---negative; "count": finite, above 0); else nil and why.
---@param region equirule.Region
---@param metric string
---@param kind "amount"|"count"
---@return number|nil value
---@return string|nil why
function facts.read(region, metric, kind) end
---nil when x is usable for kind, else why not (for a note).
---@param x number
---@param kind "amount"|"count"
---@return string|nil
function facts.why(x, kind) end
---The region's name, or its code.
---@param region equirule.Region
---@return string
function facts.label(region) end
---The gaps of a collector's list (gaps.list, or the list peers.totals
---returns) as missing(note, gaps) takes them.
---@param list table
---@return equirule.GapEntry[]
function facts.entries(list) end

---@class equirule.PeerLevel
---@field value number amount ÷ count
---@field name string the city's name, or its code

---@class equirule.PeerEntry
---@field region equirule.Region
---@field code string
---@field name string
---@field amount number
---@field count number
---@field value number amount ÷ count

---@class equirule.PeerTotals
---@field amount number Σ amounts
---@field count number Σ counts
---@field level number|nil Σ amounts ÷ Σ counts (nil when Σ counts is 0)
---@field regions equirule.PeerEntry[] the regions with a level, in order
---@field empty string[] regions with count and amount both 0

---@class equirule.PeerLevels
---@field values number[] each city's amount ÷ count, in code order
---@field lowest equirule.PeerLevel|nil
---@field highest equirule.PeerLevel|nil
---@field regions equirule.PeerEntry[]

---@class equirule.PeerMean
---@field mean number the cities' total amount ÷ their total count
---@field cities integer how many cities have a level
---@field empty string[] cities with count and amount both 0 (add nothing)
---@field gaps string[] always empty (no city is left out)

---A per-unit level (amount ÷ count) summed or compared across a group of
---regions (scripts/lib/peers.lua). No region is ever left out: one lacking
---a usable figure makes the function return nil and a `missing` outcome
---naming every such region.
---@class equirule.peers
local peers = {}
---Totals over the group (a region view: its cities; or a list of views).
---@param group equirule.Region|equirule.Region[]
---@param amount string metric
---@param count string metric
---@param opts? { each: boolean } each: every region must have a level
---@return equirule.PeerTotals|nil
---@return equirule.Outcome|nil gap
---@return equirule.Gap[]|nil
function peers.totals(group, amount, count, opts) end
---Totals per subgroup (group_of(region) → name, or nil and why), and `all`.
---@param group equirule.Region|equirule.Region[]
---@param amount string metric
---@param count string metric
---@param group_of fun(region: equirule.Region): string|nil, string|nil
---@return table<string, equirule.PeerTotals>|nil
---@return equirule.Outcome|nil gap
---@return equirule.Gap[]|nil
function peers.groups(group, amount, count, group_of) end
---Each city's amount ÷ count (every city must have one).
---@param region equirule.Region
---@param amount string metric
---@param count string metric
---@return equirule.PeerLevels|nil
---@return equirule.Outcome|nil gap
function peers.levels(region, amount, count) end
---The cities' mean level weighted by count (total ÷ total).
---@param region equirule.Region
---@param amount string metric
---@param count string metric
---@return equirule.PeerMean|nil
---@return equirule.Outcome|nil gap
function peers.mean_level(region, amount, count) end
---"" (kept for rules written against the earlier helper).
---@param avg equirule.PeerMean
---@return string
function peers.gaps_note(avg) end

---The equalization index across the cities of a region
---(scripts/lib/inequality.lua).
---@class equirule.inequality
---@field zones { code: string, name: string }[] the four zones of 一核一带一区
local inequality = {}
---The Chinese name of a zone code, or nil.
---@param code string
---@return string|nil
function inequality.zone_name(code) end
---A view of the same region whose fact and has read `year`.
---@param view equirule.Region
---@param year integer
---@return equirule.Region
function inequality.at_year(view, year) end
---Each city's level in `year`, read with read(c, gaps) → amount, count
---[, what]; nil and a missing outcome naming every city lacking a figure
---or a zone.
---@param r equirule.Region
---@param year integer
---@param read fun(c: equirule.Region, gaps: table): number?, number?, string?
---@return { list: table[], empty: string[] }|nil
---@return equirule.Outcome|nil gap
function inequality.cities(r, year, read) end
---CV (unweighted, weighted), weighted Gini and stats.theil_groups by zone.
---@param u { list: table[], empty: string[] }
---@return { n: integer, mean: number, cv: number, cv_weighted: number, gini: number, theil: table }|nil
function inequality.measures(u) end
---x rounded to 14 decimal places.
---@param x number
---@return number
function inequality.round(x) end
---An index as notes show it.
---@param x number
---@return string
function inequality.fmt(x) end
---part ÷ total as a percentage ("65.0%"), or "—" when total is 0.
---@param part number
---@param total number
---@return string
function inequality.share(part, total) end
---A stats.theil_groups result by zone in a sentence.
---@param t table
---@return string
function inequality.decomposition(t) end
---params.base_year as an integer year, or an error naming it.
---@param value any
---@return integer
function inequality.base_year(value) end
---The indicator "not above the base year's level".
---@param r equirule.Region
---@param base integer
---@param compute fun(year: integer): number|nil, any
---@param describe fun(value: number, detail: any): string
---@param unit string
---@return equirule.Outcome
function inequality.against_base(r, base, compute, describe, unit) end

---@class equirule.PerUnitSpec
---@field standard string the standard key (r:standard, the binding one)
---@field amount string metric: the amount (spending, subsidy paid, ...)
---@field per string metric: the count it is per (residents, pupils, ...)
---@field periods? integer 12: a yearly amount against a monthly standard
---@field unit string e.g. "元/人"
---@field note string a string.format pattern given the amount and the count
---@field no_standard string the skip note when no standard is in force
---@field no_units string the skip note when the count is 0

---@class equirule.CoverageSpec
---@field amount string metric: those covered
---@field per string metric: those eligible
---@field target number the share to reach (params.min_coverage), in 0..1
---@field param? string the target's param name for the error (default "min_coverage")
---@field note string a string.format pattern given the two counts
---@field no_units string the skip note when nobody is eligible

---@class equirule.PeerRatioSpec
---@field amount string metric
---@field per string metric
---@field ratio number of the cities' mean level (params.ratio)
---@field unit string e.g. "元/人"; also the unit of the average in the note
---@field note string a string.format pattern given the amount and the count
---@field no_units string the skip note when the count is 0

---@class equirule.Spread: equirule.PeerLevels
---@field mean number the unweighted mean of the values

---@class equirule.SpreadSpec
---@field amount string metric
---@field per string metric
---@field measure fun(values: number[]): number e.g. stats.cv, stats.max_gap
---@field target number the most the measure may be (a param)
---@field unit string
---@field note fun(s: equirule.Spread): string
---@field too_few string the skip note when there are fewer than 2 cities
---@field none string the skip note when the mean level is 0 or less

---The shapes that rules share (scripts/lib/check.lua): each returns the
---outcome, so that evaluate reads `return check.per_unit(r, { ... })`.
---A missing fact stops the evaluation with outcome `missing`, as in a rule;
---a negative or non-finite figure gives `missing` naming it; the group
---shapes give `missing` naming every city lacking a usable figure.
---@class equirule.check
local check = {}
---amount ÷ count (÷ periods) at least the standard in force: at_least, or
---skip when no standard is in force (read first) or the count is 0.
---@param r equirule.Region
---@param spec equirule.PerUnitSpec
---@return equirule.Outcome
function check.per_unit(r, spec) end
---covered ÷ eligible at least the target share (unit "比例"), or skip when
---nobody is eligible.
---@param r equirule.Region
---@param spec equirule.CoverageSpec
---@return equirule.Outcome
function check.coverage(r, spec) end
---amount ÷ count at least ratio × the mean level of the cities under the
---parent (peers.mean_level), the average in the note; skip when the count
---is 0 or there is no parent; missing when a city lacks a usable figure.
---@param r equirule.Region
---@param spec equirule.PeerRatioSpec
---@return equirule.Outcome
function check.peer_ratio(r, spec) end
---measure(levels of the cities under r) at most the target (indicator
---"<="); skip when fewer than 2 cities or their mean is 0; missing when a
---city lacks a usable figure (or has a count of 0).
---@param r equirule.Region
---@param spec equirule.SpreadSpec
---@return equirule.Outcome
function check.spread(r, spec) end
---value when it is a share (a finite number in 0..1); raises an error
---naming the param and its value otherwise ("params.max_gap 30 is not a
---ratio in 0..1: write 0.30 for 30%"), at the caller `level` up (default 1).
---@param name string the param's name
---@param value any
---@param level? integer
---@return number
function check.ratio(name, value, level) end

-- ---- the test-support module (scripts/testlib; test files only) ----------

---A case as testkit.cases_of builds it: a TestCase, or with `city` the
---case of one city (facts and expect that city's).
---@class equirule.KitCase
---@field name string
---@field year integer
---@field city? string|equirule.TestRegion a city code, or a region (testkit.city)
---@field regions? equirule.TestRegion[] without `city`
---@field facts? table with `city`: { [metric] = value }; else { [code] = { [metric] = value } }
---@field standards? table
---@field shares? table
---@field transfers? table with `city`: { [item] = yuan }; else { [code] = { [item] = yuan } }
---@field national_averages? table
---@field params? table
---@field rules? string[]
---@field expect table|false with `city`: the finding (of each rule, with several); else { [code] = finding } (of each rule, with several)

---Fixtures and case builders for rule tests (scripts/testlib/testkit.lua):
---广东省, its 21 cities and the counties of four as in the built-in sample.
---@class equirule.testkit
---@field province equirule.TestRegion 广东省, 440000
local testkit = {}
---The Guangdong city of that code (code, level, parent, name, zone, tier);
---a field of `changes` replaces the city's, false leaves it out.
---@param code string e.g. "441400"
---@param changes? table e.g. { tier = 2 }, { zone = false }
---@return equirule.TestRegion
function testkit.city(code, changes) end
---A county of the sample (广州, 湛江, 梅州, 河源) as a test region: level
---county, its city as parent, the city's zone and tier.
---@param code string e.g. "441422"
---@param changes? table e.g. { tier = 2 }, { zone = false }
---@return equirule.TestRegion
function testkit.county(code, changes) end
---{ province, city, ... }: each argument a city code, a county code of the
---sample (list its city too) or a region.
---@param ... string|equirule.TestRegion
---@return equirule.TestRegion[]
function testkit.regions(...) end
---A builder of the cases of a rule (or of several tested together).
---@param rule string
---@param ... string more rules
---@return fun(t: equirule.KitCase): equirule.TestCase
function testkit.cases_of(rule, ...) end
