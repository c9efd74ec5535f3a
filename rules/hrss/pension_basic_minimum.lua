-- 城乡居民基本养老保险: the basic pension actually paid, per beneficiary and
-- month, must reach the binding minimum (the larger of the national and the
-- provincial minimum; Guangdong's is 170 元/月 from 2019-01-01).
local check = require "check"

return {
  id = "hrss.pension_basic_minimum",
  title = "城乡居民月人均基础养老金不低于最低标准",
  basis = "国办发〔2018〕6号; 广东省城乡居民基础养老金最低标准; 粤财办〔2019〕1号 二(一)",
  item = "pension.resident_basic",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  evaluate = function(r)
    -- 基础养老金支出 ÷ 领取人数 ÷ 12 个月 ≥ 最低标准（元/人·月）
    return check.per_unit(r, {
      amount = "pension.resident_basic.spend",
      per = "pension.resident_basic.beneficiaries", periods = 12,
      standard = "pension.resident_basic", unit = "元/人·月",
      note = "基础养老金支出 %.0f 元 ÷ 领取人数 %.0f 人 ÷ 12 个月",
      no_standard = "本年度无基础养老金最低标准",
      no_units = "无领取待遇人员",
    })
  end,
}
