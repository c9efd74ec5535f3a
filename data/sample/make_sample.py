#!/usr/bin/env python3
"""Writes the Guangdong sample dataset: the CSV files beside this script.

The sample is small, hand-designed data for trying equirule. Everything in
it is an estimate except the end-2019 resident population of the nine core
cities (DOMAIN.md, checked), and every estimate carries the source
`estimate`. README.md beside this file tells the story the data is built to
show and gives the arithmetic to check it by hand.

The script is deterministic: no randomness, exact decimal arithmetic
(fractions), money rounded half up to the yuan. Run it from anywhere:

    python3 data/sample/make_sample.py

and it rewrites region.csv, metric.csv, item.csv, standard.csv, share.csv,
transfer.csv, split.csv, city_transfer.csv, fact.csv, zone.csv, setting.csv
and national_average.csv in
its own folder. Edit the tables below, not the
CSV files, so the two never drift apart.
"""

import csv
import os
from fractions import Fraction as F

YEARS = (2018, 2019, 2020)
PROVINCE = "440000"
CHECKED_POP_SOURCE = "广东统计年鉴2020"
ESTIMATE = "estimate"

# The four zones of 一核一带一区 as the report names and colours them (code,
# name, short name, colour, sort), and the policy the report cites.
ZONES = [
    ("core", "珠三角核心区", "核心", "#2f6db5", 1),
    ("east", "沿海经济带东翼", "东翼", "#e07b27", 2),
    ("west", "沿海经济带西翼", "西翼", "#3a9b57", 3),
    ("north", "北部生态发展区", "北部", "#8a5cb8", 4),
]
POLICY = "粤财办〔2019〕1号"

# --------------------------------------------------------------------------
# Regions. Tier = provincial cost-sharing tier (illustrative, see README):
# 1 = province pays 70%, 2 = 50%, 3 = 30%.
#
# pop: resident population in 万 for 2018, 2019, 2020. The 2019 figure of
#   the nine core cities is the checked one (DOMAIN.md); all others are
#   estimates continuing the pre-census series (census-2020 figures are not
#   used, so the series has no break).
# reg: registered (户籍) population in 2019, 万.
# rev: general public budget revenue (一般公共预算收入) in 2019, 亿元.
# bss: basic public service spending per resident in 2019, 元/人.
# m:   the city's margin above national funding standards (0.05 = 5% above).
# pen: (share of residents receiving the resident basic pension,
#       monthly basic pension paid in 2018, 2019, 2020 in 元/月).
# ins: share of residents insured in the resident medical insurance.
# hrd: (share of residents receiving hardship assistance,
#       assistance spending per beneficiary in 2019, 元/人·年).
# hou: (eligible households per resident, coverage 2018, 2019, 2020).
# --------------------------------------------------------------------------
CITIES = [
    # code, name, name_en, zone, tier, pop(18,19,20), reg, rev, bss, m,
    # pen, ins, hrd, hou
    ("440100", "广州市", "Guangzhou", "core", 3,
     ("1490.44", "1530.59", "1570.00"), "953.72", "1697.2", 7600, "0.30",
     ("0.035", 160, 200, 200), "0.42", ("0.0050", 18000),
     ("0.0030", "0.99", "0.99", "1.00")),
    ("440200", "韶关市", "Shaoguan", "north", 1,
     ("302.0", "303.0", "304.0"), "335.0", "95.4", 6400, "0.08",
     ("0.095", 148, 170, 170), "0.82", ("0.024", 7400),
     ("0.0032", "0.97", "0.98", "0.98")),
    ("440300", "深圳市", "Shenzhen", "core", 3,
     ("1302.66", "1343.88", "1385.00"), "494.78", "3773.2", 9200, "0.38",
     (None, 300, 300, 360), "0.30", ("0.0008", 24000),
     ("0.0025", "1.00", "1.00", "1.00")),
    ("440400", "珠海市", "Zhuhai", "core", 3,
     ("189.11", "202.37", "215.00"), "128.48", "344.5", 8800, "0.33",
     ("0.030", 165, 185, 190), "0.38", ("0.0040", 20000),
     ("0.0028", "1.00", "1.00", "1.00")),
    ("440500", "汕头市", "Shantou", "east", 1,
     ("564.0", "567.0", "570.0"), "568.0", "150.3", 4500, "0.04",
     ("0.085", 148, 170, 170), "0.80", ("0.021", 6800),
     ("0.0036", "0.96", "0.97", "0.98")),
    ("440600", "佛山市", "Foshan", "core", 3,
     ("790.57", "815.86", "840.00"), "460.0", "753.2", 6300, "0.22",
     ("0.040", 155, 175, 180), "0.40", ("0.0045", 16000),
     ("0.0028", "0.99", "1.00", "1.00")),
    ("440700", "江门市", "Jiangmen", "core", 2,
     ("459.82", "463.03", "466.00"), "400.0", "260.1", 5200, "0.10",
     ("0.080", 148, 170, 172), "0.60", ("0.0080", 12000),
     ("0.0030", "0.98", "0.99", "0.99")),
    ("440800", "湛江市", "Zhanjiang", "west", 1,
     ("733.0", "736.0", "739.0"), "850.0", "145.3", 4600, "0.04",
     ("0.0902", 148, 170, 170), "0.83", ("0.026", 6600),
     ("0.0038", "0.93", "0.96", "0.97")),
    ("440900", "茂名市", "Maoming", "west", 1,
     ("637.0", "641.0", "645.0"), "800.0", "140.1", 4300, "0.03",
     ("0.092", 148, 170, 170), "0.84", ("0.027", 6500),
     ("0.0037", "0.96", "0.97", "0.97")),
    ("441200", "肇庆市", "Zhaoqing", "core", 2,
     ("415.17", "418.71", "422.00"), "450.0", "130.6", 5000, "0.06",
     ("0.085", 148, 170, 170), "0.70", ("0.0120", 10000),
     ("0.0032", "0.97", "0.98", "0.99")),
    ("441300", "惠州市", "Huizhou", "core", 2,
     ("483.00", "488.00", "493.00"), "382.0", "424.0", 5600, "0.12",
     ("0.060", 150, 172, 175), "0.55", ("0.0070", 13000),
     ("0.0030", "0.98", "0.99", "1.00")),
    ("441400", "梅州市", "Meizhou", "north", 1,
     ("437.0", "438.0", "439.0"), "552.0", "85.6", 5400, "0.05",
     ("0.100", 148, 170, 170), "0.85", ("0.028", 7000),
     ("0.0034", "0.97", "0.97", "0.98")),
    ("441500", "汕尾市", "Shanwei", "east", 1,
     ("302.0", "304.0", "306.0"), "358.0", "50.4", 4700, "0.04",
     ("0.088", 148, 170, 170), "0.82", ("0.025", 6700),
     ("0.0035", "0.96", "0.96", "0.97")),
    ("441600", "河源市", "Heyuan", "north", 1,
     ("310.0", "311.0", "312.0"), "375.0", "65.3", 5900, "0.05",
     ("0.096", 148, 170, 170), "0.84", ("0.027", 7100),
     ("0.0033", "0.97", "0.98", "0.98")),
    ("441700", "阳江市", "Yangjiang", "west", 1,
     ("256.0", "257.0", "258.0"), "300.0", "70.2", 5200, "0.06",
     ("0.090", 148, 170, 170), "0.80", ("0.023", 6900),
     ("0.0033", "0.97", "0.97", "0.98")),
    ("441800", "清远市", "Qingyuan", "north", 1,
     ("387.0", "389.0", "391.0"), "440.0", "140.8", 5400, "0.05",
     ("0.090", 148, 170, 170), "0.81", ("0.024", 7200),
     ("0.0033", "0.97", "0.98", "0.98")),
    ("441900", "东莞市", "Dongguan", "core", 3,
     ("839.22", "846.45", "853.00"), "251.0", "672.3", 5400, "0.18",
     ("0.020", 152, 172, 175), "0.35", ("0.0030", 15000),
     ("0.0025", "0.99", "1.00", "1.00")),
    ("442000", "中山市", "Zhongshan", "core", 3,
     ("331.00", "338.00", "345.00"), "185.0", "297.6", 5500, "0.15",
     ("0.035", 150, 172, 175), "0.45", ("0.0050", 14000),
     ("0.0027", "0.99", "0.99", "1.00")),
    ("445100", "潮州市", "Chaozhou", "east", 1,
     ("264.0", "265.0", "266.0"), "276.0", "60.2", 4800, "0.05",
     ("0.088", 148, 170, 170), "0.81", ("0.022", 6700),
     ("0.0035", "0.96", "0.97", "0.98")),
    ("445200", "揭阳市", "Jieyang", "east", 1,
     ("609.0", "610.0", "611.0"), "705.0", "98.5", 4100, "0.03",
     ("0.086", 148, 170, 170), "0.83", ("0.022", 6400),
     ("0.0036", "0.96", "0.96", "0.97")),
    ("445300", "云浮市", "Yunfu", "north", 1,
     ("253.0", "255.0", "256.0"), "300.0", "58.1", 6000, "0.07",
     ("0.094", 148, 170, 170), "0.82", ("0.025", 7000),
     ("0.0034", "0.97", "0.98", "0.98")),
]

# 湛江's pension share is 0.0902, not 0.090, so that its counties' 2018
# pension parts (0.7 × 148 × 12 per beneficiary, each rounded to the yuan)
# add up exactly to its rounded row (county_transfers).
# Shenzhen's resident basic pension has few beneficiaries: given directly.
PENSION_BENEFICIARIES = {"440300": {2018: 20000, 2019: 20500, 2020: 21000}}

# Public health spending per resident (元/人) set by hand for the story:
# 梅州 and 汕尾 fall below the 2019 standard (69), 河源 is exactly at it.
# 梅州 2019 is given as a total (2.8 亿元, the DESIGN.md example).
PUBLIC_HEALTH_PER_CAPITA = {
    "441400": {2018: F("57.00"), 2020: F("74.50")},
    "441500": {2018: F("56.50"), 2019: F("67.00"), 2020: F("75.00")},
    "441600": {2018: F("57.50"), 2019: F("69.00"), 2020: F("76.00")},
}
PUBLIC_HEALTH_TOTAL = {"441400": {2019: 280000000}}

# The data gap: 汕尾's 2019 count of hardship assistance beneficiaries is
# not in the sample, so the province's value, the sum of its cities', is
# absent too.
GAPS = {("441500", 2019, "assist.hardship.beneficiaries")}

# Growth against 2019 (revenue; basic service spending by zone group;
# hardship assistance level). Chosen so that the per-capita spending gap
# between non-core and core cities is above 30% in 2018 and within it after.
REVENUE_GROWTH = {2018: F(100, 105), 2019: F(1), 2020: F("1.01")}
BSS_GROWTH = {
    "core": {2018: F("0.95"), 2019: F(1), 2020: F("1.03")},
    "other": {2018: F("0.91"), 2019: F(1), 2020: F("1.07")},
}
HARDSHIP_GROWTH = {2018: F("0.92"), 2019: F(1), 2020: F("1.06")}
REGISTERED_GROWTH = {
    "core": {2018: F("0.985"), 2019: F(1), 2020: F("1.015")},
    "other": {2018: F("0.997"), 2019: F(1), 2020: F("1.003")},
}

# Pupils per resident (primary, junior secondary), by zone group.
PUPIL_RATE = {"core": (F("0.095"), F("0.040")),
              "other": (F("0.120"), F("0.050"))}

# --------------------------------------------------------------------------
# The other items (all estimates). Rates are per resident unless they say
# otherwise, by zone group; money is the binding standard times the
# beneficiaries unless a story table below says otherwise.
# --------------------------------------------------------------------------
# 家庭经济困难寄宿生生活补助: beneficiaries per pupil (primary, junior).
LIVING_RATE = {"core": (F("0.02"), F("0.03")),
               "other": (F("0.06"), F("0.08"))}
# 营养膳食补助 (贫困地区): beneficiaries per compulsory-education pupil; the
# core cities have none (their rule findings are `skip`).
NUTRITION_RATE = {"core": F(0), "other": F("0.20")}
# Student aid: 中职国家助学金 and 中职免学费 recipients, 普高国家助学金
# recipients, students eligible for 普高免学杂费. Grants are paid at exactly
# the standard (2000 元/生·年): those findings pass at the standard.
AID_RATE = {
    "aid.vocational_grant": {"core": F("0.0015"), "other": F("0.0030")},
    "aid.vocational_tuition": {"core": F("0.0050"), "other": F("0.0070")},
    "aid.highschool_grant": {"core": F("0.0012"), "other": F("0.0035")},
    "aid.highschool_fees": {"core": F("0.0004"), "other": F("0.0015")},
}
# 基本公共就业服务 spending per resident in 2019 (× (1 + m), × growth).
EMPLOYMENT_PER_CAPITA = {"core": 40, "other": 28}
EMPLOYMENT_GROWTH = {2018: F("0.95"), 2019: F(1), 2020: F("1.05")}
# Basic medical insurance, employee and resident schemes together, per
# resident: 0.97 everywhere except 东莞, whose many migrant workers are not
# all insured until 2020 (the 扩面共享 story). Employee insured =
# (total − ins) × pop.
MEDICAL_TOTAL_COVERAGE = {
    "441900": {2018: F("0.92"), 2019: F("0.93"), 2020: F("0.96")}}
MEDICAL_TOTAL_COVERAGE_DEFAULT = F("0.97")
# 医疗救助: the people eligible for subsidised enrolment are the hardship
# beneficiaries (same rate `hrd`); the share enrolled by zone group.
ASSISTANCE_ENROLLED = {"core": F(1), "other": F("0.995")}
# 计划生育奖励扶助: beneficiaries per resident; everyone pays exactly the
# national 80 元/人·月 except 茂名, still at 70 in 2018 and 2019.
FAMILY_PLANNING_RATE = {"core": F("0.0015"), "other": F("0.0040")}
FAMILY_PLANNING_PAID = {"440900": {2018: 70, 2019: 70}}
# 营养膳食补助 paid per beneficiary: 800 (the standard) except 湛江 in 2018,
# still at 3 元/天 (600 元/生·年).
NUTRITION_PAID = {"440800": {2018: 600}}
# 受灾人员救助: people in need of relief per resident (× the year's factor:
# 2018 was the typhoon year) and relief per person (× (1 + m)).
DISASTER_RATE = {"core": F("0.0005"), "other": F("0.0015")}
DISASTER_YEAR = {2018: F(2), 2019: F(1), 2020: F("1.2")}
DISASTER_PER_PERSON = {"core": 1200, "other": 900}
# 残疾人两项补贴: eligible people per resident and the share receiving them.
DISABILITY_RATE = {"core": F("0.006"), "other": F("0.012")}
DISABILITY_COVERED = {"core": F("0.99"), "other": F("0.98")}

# How the funding an item requires is computed (the same table as
# scripts/lib/funding.lua): (standard key, beneficiary metric, periods a
# year) per part; required = Σ binding standard × beneficiaries × periods.
FUNDING = {
    "edu.public_funds": [
        ("edu.public_funds.primary", "edu.pupils.primary", 1),
        ("edu.public_funds.junior", "edu.pupils.junior", 1)],
    "edu.living_allowance": [
        ("edu.living_allowance.primary",
         "edu.living_allowance.beneficiaries.primary", 1),
        ("edu.living_allowance.junior",
         "edu.living_allowance.beneficiaries.junior", 1)],
    "edu.nutrition": [("edu.nutrition", "edu.nutrition.beneficiaries", 1)],
    "aid.vocational_grant": [
        ("aid.vocational_grant", "aid.vocational_grant.recipients", 1)],
    "aid.vocational_tuition": [
        ("aid.vocational_tuition", "aid.vocational_tuition.recipients", 1)],
    "aid.highschool_grant": [
        ("aid.highschool_grant", "aid.highschool_grant.recipients", 1)],
    "pension.resident_basic": [
        ("pension.resident_basic", "pension.resident_basic.beneficiaries",
         12)],
    "medical.resident_insurance": [
        ("medical.resident_insurance", "medical.resident_insurance.insured",
         1)],
    "health.public_health": [("health.public_health", "pop.resident", 1)],
    "health.family_planning": [
        ("health.family_planning", "health.family_planning.beneficiaries",
         12)],
}

# Transfers that differ from the province's share of the required funding
# (the cost-sharing story): 韶关's 2020 medical insurance subsidy was paid
# at the 2019 standard (520 instead of 550 元/人).
TRANSFER_AT_STANDARD = {("440200", 2020, "medical.resident_insurance"): 520}

# --------------------------------------------------------------------------
# Counties (县级行政区) of four cities, codes and names "to verify"
# (DOMAIN.md): level county, the city as parent, the city's zone and, for
# the sample, the city's tier. Their facts are the city's figures split
# across them (split_exact: integer results that add up exactly to the
# city's value), so a city's row of a summable metric always equals the sum
# of its counties'.
#
# Per county: code, name, name_en, pop (a population weight, about 万),
# bss (a factor on basic public service spending per resident), ph (a
# factor on public health spending per resident). A factor of 1 keeps the
# city's per-resident level; the factors are relative within the city.
# Chosen for the story (README.md): 梅州's 大埔县 below the public health
# standard in 2018 and 2020 while 梅州 passes; 湛江's districts spending far
# more per resident than its counties (beyond the within-city threshold),
# 梅州, 河源 and 广州 within it.
# --------------------------------------------------------------------------
COUNTIES = {
    "440100": [
        ("440103", "荔湾区", "Liwan", 96, "1.05", 1),
        ("440104", "越秀区", "Yuexiu", 103, "1.15", 1),
        ("440105", "海珠区", "Haizhu", 169, "1.05", 1),
        ("440106", "天河区", "Tianhe", 176, "1.12", 1),
        ("440111", "白云区", "Baiyun", 271, "0.95", 1),
        ("440112", "黄埔区", "Huangpu", 115, "1.05", 1),
        ("440113", "番禺区", "Panyu", 178, "1.00", 1),
        ("440114", "花都区", "Huadu", 110, "0.95", 1),
        ("440115", "南沙区", "Nansha", 75, "1.00", 1),
        ("440117", "从化区", "Conghua", 65, "0.90", 1),
        ("440118", "增城区", "Zengcheng", 152, "0.92", 1),
    ],
    "440800": [
        ("440802", "赤坎区", "Chikan", 30, "1.45", 1),
        ("440803", "霞山区", "Xiashan", 50, "1.35", 1),
        ("440804", "坡头区", "Potou", 35, "1.00", 1),
        ("440811", "麻章区", "Mazhang", 30, "1.00", 1),
        ("440823", "遂溪县", "Suixi", 90, "0.90", 1),
        ("440825", "徐闻县", "Xuwen", 70, "0.85", 1),
        ("440881", "廉江市", "Lianjiang", 150, "0.90", 1),
        ("440882", "雷州市", "Leizhou", 145, "0.85", 1),
        ("440883", "吴川市", "Wuchuan", 95, "0.90", 1),
    ],
    "441400": [
        ("441402", "梅江区", "Meijiang", 38, "1.08", 1),
        ("441403", "梅县区", "Meixian", 55, "1.00", 1),
        ("441422", "大埔县", "Dabu", 37, "0.95", "0.88"),
        ("441423", "丰顺县", "Fengshun", 48, "0.98", 1),
        ("441424", "五华县", "Wuhua", 105, "0.92", 1),
        ("441426", "平远县", "Pingyuan", 23, "1.00", 1),
        ("441427", "蕉岭县", "Jiaoling", 21, "1.02", 1),
        ("441481", "兴宁市", "Xingning", 111, "0.95", 1),
    ],
    "441600": [
        ("441602", "源城区", "Yuancheng", 50, "1.08", 1),
        ("441621", "紫金县", "Zijin", 66, "0.95", 1),
        ("441622", "龙川县", "Longchuan", 70, "0.96", 1),
        ("441623", "连平县", "Lianping", 33, "1.00", 1),
        ("441624", "和平县", "Heping", 37, "0.98", 1),
        ("441625", "东源县", "Dongyuan", 55, "0.97", 1),
    ],
}

# --------------------------------------------------------------------------
# Catalogs.
# --------------------------------------------------------------------------
METRICS = [
    # key, name, unit, department, description
    ("pop.resident", "常住人口", "人", "finance",
     "年末常住人口"),
    ("pop.registered", "户籍人口", "人", "finance",
     "年末户籍人口"),
    ("fin.revenue", "一般公共预算收入", "元", "finance",
     "本级一般公共预算收入"),
    ("fin.basic_service.spend", "基本公共服务支出", "元", "finance",
     "18项基本公共服务领域一般公共预算支出合计"),
    ("edu.pupils.primary", "小学在校生数", "人", "education",
     "义务教育阶段小学在校生"),
    ("edu.pupils.junior", "初中在校生数", "人", "education",
     "义务教育阶段初中在校生"),
    ("edu.public_funds.spend.primary", "小学公用经费支出", "元", "education",
     "义务教育小学公用经费财政拨款"),
    ("edu.public_funds.spend.junior", "初中公用经费支出", "元", "education",
     "义务教育初中公用经费财政拨款"),
    ("pension.resident_basic.beneficiaries", "城乡居民养老保险领取待遇人数",
     "人", "hrss", "年末领取城乡居民基本养老保险待遇人数"),
    ("pension.resident_basic.spend", "城乡居民基础养老金支出", "元", "hrss",
     "全年发放的城乡居民基础养老金"),
    ("medical.resident_insurance.insured", "城乡居民医保参保人数", "人",
     "medical", "城乡居民基本医疗保险参保人数"),
    ("medical.resident_insurance.subsidy", "城乡居民医保财政补助", "元",
     "medical", "各级财政对城乡居民医保的补助合计"),
    ("health.public_health.spend", "基本公共卫生服务经费", "元", "health",
     "基本公共卫生服务项目财政补助经费"),
    ("assist.hardship.beneficiaries", "困难群众救助人数", "人",
     "civil_affairs", "城乡低保和特困人员救助供养人数"),
    ("assist.hardship.spend", "困难群众救助支出", "元", "civil_affairs",
     "城乡低保和特困人员救助供养资金支出"),
    ("housing.affordable.eligible", "住房保障对象户数", "户", "housing",
     "符合条件的城镇住房困难家庭户数"),
    ("housing.affordable.covered", "已保障户数", "户", "housing",
     "已实物配租或发放租赁补贴的户数"),
    ("edu.textbooks.pupils", "免费教科书发放学生数", "人", "education",
     "义务教育阶段免费提供国家规定课程教科书的学生数"),
    ("edu.living_allowance.beneficiaries.primary", "小学生活补助人数", "人",
     "education", "享受生活补助的小学家庭经济困难寄宿生"),
    ("edu.living_allowance.beneficiaries.junior", "初中生活补助人数", "人",
     "education", "享受生活补助的初中家庭经济困难寄宿生"),
    ("edu.living_allowance.spend.primary", "小学生活补助支出", "元",
     "education", "小学家庭经济困难寄宿生生活补助资金"),
    ("edu.living_allowance.spend.junior", "初中生活补助支出", "元",
     "education", "初中家庭经济困难寄宿生生活补助资金"),
    ("edu.nutrition.beneficiaries", "营养膳食补助人数", "人", "education",
     "享受营养膳食补助的义务教育学生"),
    ("edu.nutrition.spend", "营养膳食补助支出", "元", "education",
     "营养膳食补助资金"),
    ("aid.vocational_grant.recipients", "中职国家助学金人数", "人",
     "education", "享受中职国家助学金的学生"),
    ("aid.vocational_grant.spend", "中职国家助学金支出", "元", "education",
     "中职国家助学金资金"),
    ("aid.vocational_tuition.recipients", "中职免学费人数", "人", "education",
     "享受中职免学费的学生"),
    ("aid.vocational_tuition.spend", "中职免学费补助支出", "元", "education",
     "中职免学费补助资金"),
    ("aid.highschool_grant.recipients", "普高国家助学金人数", "人",
     "education", "享受普高国家助学金的学生"),
    ("aid.highschool_grant.spend", "普高国家助学金支出", "元", "education",
     "普高国家助学金资金"),
    ("aid.highschool_fees.eligible", "普高免学杂费对象人数", "人",
     "education", "符合免学杂费条件的普高家庭经济困难学生"),
    ("aid.highschool_fees.exempted", "普高已免学杂费人数", "人", "education",
     "已免除学杂费的普高学生"),
    ("employment.public_service.spend", "基本公共就业服务支出", "元", "hrss",
     "就业补助资金中用于基本公共就业服务的支出"),
    ("medical.employee_insurance.insured", "职工医保参保人数", "人",
     "medical", "职工基本医疗保险参保人数"),
    ("medical.assistance.eligible", "医疗救助资助参保对象", "人", "medical",
     "应由医疗救助资助参加城乡居民医保的困难人员"),
    ("medical.assistance.enrolled", "医疗救助资助参保人数", "人", "medical",
     "已获医疗救助资助参保的困难人员"),
    ("health.family_planning.beneficiaries", "计划生育奖励扶助人数", "人",
     "health", "享受计划生育家庭奖励扶助的人数"),
    ("health.family_planning.spend", "计划生育奖励扶助支出", "元", "health",
     "计划生育家庭奖励扶助金"),
    ("assist.disaster.in_need", "受灾需救助人数", "人", "civil_affairs",
     "自然灾害中需政府救助的人数"),
    ("assist.disaster.spend", "受灾人员救助支出", "元", "civil_affairs",
     "自然灾害生活救助资金"),
    ("assist.disability.eligible", "残疾人两项补贴对象", "人",
     "civil_affairs", "符合困难残疾人生活补贴和重度残疾人护理补贴条件的人数"),
    ("assist.disability.recipients", "残疾人两项补贴发放人数", "人",
     "civil_affairs", "已发放两项补贴的残疾人数"),
]

ITEMS = [
    # code, category, name, department, unit, beneficiary_metric
    ("edu.public_funds", "义务教育", "公用经费保障", "education",
     "元/生·年", None),
    ("edu.textbooks", "义务教育", "免费提供教科书", "education",
     "元/生·年", "edu.textbooks.pupils"),
    ("edu.living_allowance", "义务教育", "家庭经济困难学生生活补助",
     "education", "元/生·年", None),
    ("edu.nutrition", "义务教育", "贫困地区学生营养膳食补助", "education",
     "元/生·年", "edu.nutrition.beneficiaries"),
    ("aid.vocational_grant", "学生资助", "中职国家助学金", "education",
     "元/生·年", "aid.vocational_grant.recipients"),
    ("aid.vocational_tuition", "学生资助", "中职免学费补助", "education",
     "元/生·年", "aid.vocational_tuition.recipients"),
    ("aid.highschool_grant", "学生资助", "普高国家助学金", "education",
     "元/生·年", "aid.highschool_grant.recipients"),
    ("aid.highschool_fees", "学生资助", "普高免学杂费补助", "education",
     "元/生·年", "aid.highschool_fees.exempted"),
    ("employment.public_service", "基本就业服务", "基本公共就业服务", "hrss",
     "元", None),
    ("pension.resident_basic", "基本养老保险", "城乡居民基本养老保险补助",
     "hrss", "元/人·月", "pension.resident_basic.beneficiaries"),
    ("medical.resident_insurance", "基本医疗保障", "城乡居民基本医疗保险补助",
     "medical", "元/人·年", "medical.resident_insurance.insured"),
    ("medical.assistance", "基本医疗保障", "医疗救助", "medical", "元",
     "medical.assistance.enrolled"),
    ("health.public_health", "基本卫生计生", "基本公共卫生服务", "health",
     "元/人·年", "pop.resident"),
    ("health.family_planning", "基本卫生计生", "计划生育扶助保障", "health",
     "元/人·月", "health.family_planning.beneficiaries"),
    ("assist.hardship", "基本生活救助", "困难群众救助", "civil_affairs",
     "元/人·年", "assist.hardship.beneficiaries"),
    ("assist.disaster", "基本生活救助", "受灾人员救助", "civil_affairs",
     "元", "assist.disaster.in_need"),
    ("assist.disability", "基本生活救助", "残疾人服务", "civil_affairs",
     "元", "assist.disability.recipients"),
    ("housing.affordable", "基本住房保障", "城乡保障性安居工程", "housing",
     "元", "housing.affordable.covered"),
]

# What the public service list (基本公共服务清单, 二(一)2) says of each
# item besides its name and standard: served (服务对象), content (服务内容),
# responsibility (支出责任, in words) and lead (牵头负责单位). Sample wording
# modelled on the national list (国家基本公共服务标准, 2021年版), not
# official text (README.md). The responsibilities follow the sample's own
# model: the 10 items of SHARED_ITEMS by the three tiers of TIER_SHARES,
# the others by factor- or project-based grants.
SHARED_DUTY = ("省与市县共同财政事权，省级按市县分档比例分担（一档70%、二档50%、"
               "三档30%），其余由市县承担；市县自行提高标准所需资金由市县自行承担")
FACTOR_DUTY = "省与市县共同财政事权，省级按因素法安排补助资金，其余由市县承担"
PROJECT_DUTY = "省与市县共同财政事权，省级按项目法安排补助资金，其余由市县承担"
EDU = "省教育厅"
HRSS = "省人力资源社会保障厅"
MEDICAL = "省医疗保障局"
HEALTH = "省卫生健康委"
CIVIL = "省民政厅"
LIST_TEXTS = {
    # code: (served, content, lead); the responsibility is SHARED_DUTY for
    # the items of SHARED_ITEMS, else LIST_DUTY's or FACTOR_DUTY
    "edu.public_funds": (
        "城乡义务教育阶段在校学生",
        "免除学杂费，按不低于生均公用经费基准定额的标准补助义务教育学校公用经费，"
        "保障学校正常运转", EDU),
    "edu.textbooks": (
        "义务教育阶段在校学生",
        "免费提供国家规定课程教科书，为小学一年级新生免费提供正版学生字典", EDU),
    "edu.living_allowance": (
        "义务教育阶段家庭经济困难寄宿生",
        "按小学、初中生均标准发放生活补助", EDU),
    "edu.nutrition": (
        "实施营养改善计划地区的农村义务教育阶段学生",
        "按每生每天标准提供营养膳食补助", EDU),
    "aid.vocational_grant": (
        "中等职业学校全日制正式学籍一、二年级涉农专业学生和非涉农专业家庭经济困难学生",
        "发放国家助学金", EDU),
    "aid.vocational_tuition": (
        "中等职业学校全日制正式学籍学生（按规定范围）",
        "免除学费，财政按标准补助学校", EDU),
    "aid.highschool_grant": (
        "普通高中在校家庭经济困难学生",
        "发放国家助学金", EDU),
    "aid.highschool_fees": (
        "普通高中建档立卡等家庭经济困难学生",
        "免除学杂费，财政按标准补助学校", EDU),
    "employment.public_service": (
        "劳动年龄内、有劳动能力、有就业要求的城乡劳动者",
        "提供就业政策咨询、职业介绍、职业指导、创业指导、就业失业登记等服务",
        HRSS),
    "pension.resident_basic": (
        "年满16周岁（不含在校学生）、不属于职工基本养老保险覆盖范围的城乡居民",
        "对参保缴费给予补贴，符合领取条件的按月发放基础养老金", HRSS),
    "medical.resident_insurance": (
        "职工基本医疗保险应参保人员以外的城乡居民",
        "财政按人头补助参保缴费，参保人员按规定享受住院和门诊医疗费用报销",
        MEDICAL),
    "medical.assistance": (
        "特困人员、低保对象、低保边缘家庭成员等医疗救助对象",
        "资助参加城乡居民基本医疗保险，对经基本医疗保险、大病保险报销后个人负担的"
        "合规医疗费用给予救助", MEDICAL),
    "health.public_health": (
        "城乡常住居民",
        "免费提供建立居民健康档案、健康教育、预防接种、儿童、孕产妇和老年人健康管理、"
        "慢性病患者健康管理等基本公共卫生服务", HEALTH),
    "health.family_planning": (
        "农村部分计划生育家庭和计划生育特殊家庭",
        "按月发放计划生育奖励扶助金和特别扶助金", HEALTH),
    "assist.hardship": (
        "最低生活保障对象和特困人员",
        "按月发放最低生活保障金，为特困人员提供基本生活、照料服务等救助供养",
        CIVIL),
    "assist.disaster": (
        "遭受自然灾害、生活困难需政府救助的人员",
        "提供应急救助、过渡期生活救助、倒损住房恢复重建补助和冬春临时生活困难救助",
        CIVIL),
    "assist.disability": (
        "困难残疾人和重度残疾人",
        "发放困难残疾人生活补贴和重度残疾人护理补贴", "省民政厅、省残联"),
    "housing.affordable": (
        "城镇住房和收入困难家庭、农村低收入群体等重点对象",
        "提供公共租赁住房或发放租赁补贴，实施城镇棚户区改造和农村危房改造",
        "省住房城乡建设厅"),
}
# the items without a unified standard whose grants are not by factors
LIST_DUTY = {"housing.affordable": PROJECT_DUTY}


def list_texts(code):
    """The list's four texts of an item: served, content, responsibility,
    lead."""
    served, content, lead = LIST_TEXTS[code]
    duty = (SHARED_DUTY if code in SHARED_ITEMS
            else LIST_DUTY.get(code, FACTOR_DUTY))
    return (served, content, duty, lead)


GUOBAN = "国办发〔2018〕6号"
TO_VERIFY = "（数值待核）"
GD_PENSION = "广东省城乡居民基础养老金最低标准（2019年1月1日起170元）"
STANDARDS = [
    # key, scope, region, year_from, year_to, value, unit, basis
    ("edu.public_funds.primary", "national", None, 2017, 2020, 650,
     "元/生·年", GUOBAN + " 义务教育公用经费基准定额（东部）"),
    ("edu.public_funds.junior", "national", None, 2017, 2020, 850,
     "元/生·年", GUOBAN + " 义务教育公用经费基准定额（东部）"),
    ("edu.living_allowance.primary", "national", None, 2018, 2020, 1000,
     "元/生·年", GUOBAN + " 家庭经济困难寄宿生生活补助"),
    ("edu.living_allowance.junior", "national", None, 2018, 2020, 1250,
     "元/生·年", GUOBAN + " 家庭经济困难寄宿生生活补助"),
    ("edu.nutrition", "national", None, 2018, 2020, 800,
     "元/生·年", GUOBAN + " 营养膳食补助（每生每天4元）"),
    ("aid.highschool_grant", "national", None, 2018, 2020, 2000,
     "元/生·年", GUOBAN + " 普高国家助学金（平均）"),
    ("aid.vocational_grant", "national", None, 2018, 2020, 2000,
     "元/生·年", GUOBAN + " 中职国家助学金" + TO_VERIFY),
    ("aid.vocational_tuition", "national", None, 2018, 2020, 2000,
     "元/生·年", GUOBAN + " 中职免学费补助" + TO_VERIFY),
    ("pension.resident_basic", "national", None, 2018, 2019, 88,
     "元/人·月", GUOBAN + " 城乡居民基础养老金最低标准" + TO_VERIFY),
    ("pension.resident_basic", "national", None, 2020, 2020, 93,
     "元/人·月", "城乡居民基础养老金全国最低标准2020年调整" + TO_VERIFY),
    ("medical.resident_insurance", "national", None, 2018, 2018, 490,
     "元/人·年", GUOBAN + " 城乡居民医保人均财政补助" + TO_VERIFY),
    ("medical.resident_insurance", "national", None, 2019, 2019, 520,
     "元/人·年", "2019年城乡居民医保人均财政补助标准" + TO_VERIFY),
    ("medical.resident_insurance", "national", None, 2020, 2020, 550,
     "元/人·年", "2020年城乡居民医保人均财政补助标准" + TO_VERIFY),
    ("health.public_health", "national", None, 2018, 2018, 55,
     "元/人", GUOBAN + " 基本公共卫生服务人均经费" + TO_VERIFY),
    ("health.public_health", "national", None, 2019, 2019, 69,
     "元/人", "2019年基本公共卫生服务人均经费标准" + TO_VERIFY),
    ("health.public_health", "national", None, 2020, 2020, 74,
     "元/人", "2020年基本公共卫生服务人均经费标准" + TO_VERIFY),
    ("health.family_planning", "national", None, 2018, 2020, 80,
     "元/人·月", GUOBAN + " 计划生育家庭奖励扶助" + TO_VERIFY),
    ("pension.resident_basic", "provincial", None, 2018, 2018, 148,
     "元/人·月", "广东省城乡居民基础养老金最低标准（2019年前）"),
    ("pension.resident_basic", "provincial", None, 2019, None, 170,
     "元/人·月", GD_PENSION),
    # Local standards (illustrative): cities that adopted their own.
    ("pension.resident_basic", "local", "440300", 2018, 2019, 300,
     "元/人·月", "深圳市城乡居民基础养老金本地标准（示例）"),
    ("pension.resident_basic", "local", "440300", 2020, None, 360,
     "元/人·月", "深圳市城乡居民基础养老金本地标准（示例）"),
    ("pension.resident_basic", "local", "440100", 2019, None, 200,
     "元/人·月", "广州市城乡居民基础养老金本地标准（示例）"),
    ("health.public_health", "local", "440400", 2019, None, 90,
     "元/人", "珠海市基本公共卫生服务人均经费本地标准（示例）"),
]

# National averages (全国平均水平), the short board's yardstick (粤财办〔2019〕1号
# 二(二)1): per standard key and year, in the unit of the key's national
# standard. All are illustrative estimates (source `estimate`), chosen so
# that the story of README.md ("The short board") can be checked by hand;
# the published national figures are to be verified. Items left out here
# (中职国家助学金, 中职免学费补助, 计划生育扶助保障) have no average: the
# short board measures them against their national standard and says so.
NA_BASIS = "全国平均水平（示例估计，数值待核）"
NATIONAL_AVERAGES = [
    # key, {year: value}, unit
    ("edu.public_funds.primary", {2018: 750, 2019: 780, 2020: 800},
     "元/生·年"),
    ("edu.public_funds.junior", {2018: 1000, 2019: 1020, 2020: 1040},
     "元/生·年"),
    ("edu.living_allowance.primary", {2018: 1100, 2019: 1100, 2020: 1100},
     "元/生·年"),
    ("edu.living_allowance.junior", {2018: 1400, 2019: 1400, 2020: 1400},
     "元/生·年"),
    ("edu.nutrition", {2018: 800, 2019: 800, 2020: 800}, "元/生·年"),
    ("aid.highschool_grant", {2018: 2000, 2019: 2000, 2020: 2000},
     "元/生·年"),
    ("pension.resident_basic", {2018: 152, 2019: 160, 2020: 170},
     "元/人·月"),
    ("medical.resident_insurance", {2018: 490, 2019: 520, 2020: 550},
     "元/人·年"),
    ("health.public_health", {2018: 55, 2019: 69, 2020: 74}, "元/人"),
]

# Provincial share per tier (illustrative; 粤府办〔2018〕52号 not found).
TIER_SHARES = {1: F("0.7"), 2: F("0.5"), 3: F("0.3")}
SHARED_ITEMS = ["edu.public_funds", "edu.living_allowance", "edu.nutrition",
                "aid.vocational_grant", "aid.vocational_tuition",
                "aid.highschool_grant", "pension.resident_basic",
                "medical.resident_insurance", "health.public_health",
                "health.family_planning"]


# --------------------------------------------------------------------------
def round_yuan(x):
    """Rounds a non-negative Fraction half up to a whole yuan (or person)."""
    return int((F(x) * 2 + 1) // 2)


def binding(key, year):
    """The larger of the national and provincial standard in force."""
    vals = [F(v) for (k, scope, _r, y0, y1, v, _u, _b) in STANDARDS
            if k == key and scope in ("national", "provincial")
            and y0 <= year and (y1 is None or year <= y1)]
    return max(vals) if vals else None


def city_facts(c):
    """{year: {metric: value}} for one city (gaps not yet removed)."""
    (code, _name, _name_en, zone, _tier, pops, reg, rev, bss, m, pen, ins,
     hrd, hou) = c
    group = "core" if zone == "core" else "other"
    m = F(m)
    out = {}
    for i, year in enumerate(YEARS):
        f = {}
        pop = round_yuan(F(pops[i]) * 10000)
        f["pop.resident"] = pop
        f["pop.registered"] = round_yuan(
            F(reg) * 10000 * REGISTERED_GROWTH[group][year])
        f["fin.revenue"] = round_yuan(F(rev) * 10**8 * REVENUE_GROWTH[year])
        f["fin.basic_service.spend"] = round_yuan(
            pop * bss * BSS_GROWTH[group][year])

        prim = round_yuan(pop * PUPIL_RATE[group][0])
        jun = round_yuan(pop * PUPIL_RATE[group][1])
        f["edu.pupils.primary"] = prim
        f["edu.pupils.junior"] = jun
        edu_margin = 1 + m + F("0.05")
        f["edu.public_funds.spend.primary"] = round_yuan(
            prim * binding("edu.public_funds.primary", year) * edu_margin)
        f["edu.public_funds.spend.junior"] = round_yuan(
            jun * binding("edu.public_funds.junior", year) * edu_margin)

        if code in PENSION_BENEFICIARIES:
            ben = PENSION_BENEFICIARIES[code][year]
        else:
            ben = round_yuan(pop * F(pen[0]))
        f["pension.resident_basic.beneficiaries"] = ben
        f["pension.resident_basic.spend"] = ben * pen[1 + i] * 12

        insured = round_yuan(pop * F(ins))
        f["medical.resident_insurance.insured"] = insured
        f["medical.resident_insurance.subsidy"] = round_yuan(
            insured * binding("medical.resident_insurance", year)
            * (1 + m / 2))

        ph = PUBLIC_HEALTH_TOTAL.get(code, {}).get(year)
        if ph is None:
            pc = PUBLIC_HEALTH_PER_CAPITA.get(code, {}).get(year)
            if pc is None:
                pc = binding("health.public_health", year) * (1 + m)
            ph = round_yuan(pop * pc)
        f["health.public_health.spend"] = ph

        hben = round_yuan(pop * F(hrd[0]))
        f["assist.hardship.beneficiaries"] = hben
        f["assist.hardship.spend"] = round_yuan(
            hben * hrd[1] * HARDSHIP_GROWTH[year])

        elig = round_yuan(pop * F(hou[0]))
        f["housing.affordable.eligible"] = elig
        f["housing.affordable.covered"] = round_yuan(elig * F(hou[1 + i]))

        f["edu.textbooks.pupils"] = prim + jun
        for part, pupils, rate in (("primary", prim, LIVING_RATE[group][0]),
                                   ("junior", jun, LIVING_RATE[group][1])):
            ben = round_yuan(pupils * rate)
            f["edu.living_allowance.beneficiaries." + part] = ben
            f["edu.living_allowance.spend." + part] = round_yuan(
                ben * binding("edu.living_allowance." + part, year)
                * edu_margin)
        nben = round_yuan((prim + jun) * NUTRITION_RATE[group])
        f["edu.nutrition.beneficiaries"] = nben
        f["edu.nutrition.spend"] = nben * NUTRITION_PAID.get(code, {}).get(
            year, binding("edu.nutrition", year))
        for item in ("aid.vocational_grant", "aid.vocational_tuition",
                     "aid.highschool_grant"):
            rec = round_yuan(pop * AID_RATE[item][group])
            f[item + ".recipients"] = rec
            f[item + ".spend"] = rec * binding(item, year)
        fees = round_yuan(pop * AID_RATE["aid.highschool_fees"][group])
        f["aid.highschool_fees.eligible"] = fees
        f["aid.highschool_fees.exempted"] = fees

        f["employment.public_service.spend"] = round_yuan(
            pop * EMPLOYMENT_PER_CAPITA[group] * (1 + m)
            * EMPLOYMENT_GROWTH[year])
        total = MEDICAL_TOTAL_COVERAGE.get(code, {}).get(
            year, MEDICAL_TOTAL_COVERAGE_DEFAULT)
        f["medical.employee_insurance.insured"] = round_yuan(
            pop * (total - F(ins)))
        f["medical.assistance.eligible"] = hben
        f["medical.assistance.enrolled"] = round_yuan(
            hben * ASSISTANCE_ENROLLED[group])

        fben = round_yuan(pop * FAMILY_PLANNING_RATE[group])
        f["health.family_planning.beneficiaries"] = fben
        f["health.family_planning.spend"] = fben * 12 * \
            FAMILY_PLANNING_PAID.get(code, {}).get(
                year, binding("health.family_planning", year))

        need = round_yuan(pop * DISASTER_RATE[group] * DISASTER_YEAR[year])
        f["assist.disaster.in_need"] = need
        f["assist.disaster.spend"] = round_yuan(
            need * DISASTER_PER_PERSON[group] * (1 + m))
        dis = round_yuan(pop * DISABILITY_RATE[group])
        f["assist.disability.eligible"] = dis
        f["assist.disability.recipients"] = round_yuan(
            dis * DISABILITY_COVERED[group])
        out[year] = f
    return out


def city_transfers(c, facts):
    """{year: {item: yuan}}: the province's share of the funding required
    at the binding standard, share(tier) × Σ standard × beneficiaries ×
    periods (FUNDING), rounded half up to the yuan, for every item with a
    share; TRANSFER_AT_STANDARD replaces the standard where the province
    paid at another one."""
    share = TIER_SHARES[c[4]]
    out = {}
    for year in YEARS:
        f = facts[year]
        out[year] = {}
        for item in SHARED_ITEMS:
            required = 0
            for key, ben, periods in FUNDING[item]:
                std = TRANSFER_AT_STANDARD.get((c[0], year, item),
                                               binding(key, year))
                required += std * f[ben] * periods
            out[year][item] = round_yuan(share * required)
    return out


def split_exact(total, weights):
    """Splits the whole number `total` into whole numbers proportional to
    `weights` (non-negative Fractions) by the largest-remainder method:
    each gets the floor of its quota, the units left go to the largest
    remainders (the first on a tie). The parts add up to `total` exactly."""
    wsum = sum(weights)
    if total == 0:
        return [0] * len(weights)
    if wsum <= 0:
        raise ValueError("split of %d with weights that sum to 0" % total)
    quotas = [F(total) * w / wsum for w in weights]
    parts = [q.numerator // q.denominator for q in quotas]
    left = total - sum(parts)
    order = sorted(range(len(weights)),
                   key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def county_facts(city, f):
    """{county code: {metric: value}} for one year: the city's facts `f`
    split across its counties (COUNTIES). Counts are split by the
    counties' residents, money by what it pays for (residents × a factor,
    pupils, beneficiaries); a value that is a count × a rate in the city
    (nutrition) is the county's count × the same rate."""
    cs = COUNTIES[city]
    n = len(cs)

    def split(key, weights):
        return split_exact(f[key], [F(w) for w in weights])

    out = [dict() for _ in cs]

    def put(key, values):
        for i in range(n):
            out[i][key] = values[i]

    put("pop.resident", split("pop.resident", [c[3] for c in cs]))
    pop = [o["pop.resident"] for o in out]
    put("fin.basic_service.spend",
        split("fin.basic_service.spend",
              [pop[i] * F(cs[i][4]) for i in range(n)]))
    put("health.public_health.spend",
        split("health.public_health.spend",
              [pop[i] * F(cs[i][5]) for i in range(n)]))
    for key in ("edu.pupils.primary", "edu.pupils.junior",
                "assist.hardship.beneficiaries"):
        put(key, split(key, pop))
    for part in ("primary", "junior"):
        pupils = [o["edu.pupils." + part] for o in out]
        put("edu.public_funds.spend." + part,
            split("edu.public_funds.spend." + part, pupils))
        ben = "edu.living_allowance.beneficiaries." + part
        put(ben, split(ben, pupils))
        put("edu.living_allowance.spend." + part,
            split("edu.living_allowance.spend." + part,
                  [o[ben] for o in out]))
    pupils = [o["edu.pupils.primary"] + o["edu.pupils.junior"] for o in out]
    put("edu.textbooks.pupils", pupils)
    put("edu.nutrition.beneficiaries",
        split("edu.nutrition.beneficiaries", pupils))
    nben = f["edu.nutrition.beneficiaries"]
    rate = F(f["edu.nutrition.spend"], nben) if nben else F(0)
    assert rate.denominator == 1
    put("edu.nutrition.spend",
        [o["edu.nutrition.beneficiaries"] * rate.numerator for o in out])
    put("assist.hardship.spend",
        split("assist.hardship.spend",
              [o["assist.hardship.beneficiaries"] for o in out]))
    # The other shared items (finance.county_cost_sharing): counts by the
    # residents; spending paid at a rate per beneficiary in the city (student
    # aid, pension, family planning) is the county's count × the same rate,
    # the medical insurance subsidy is split by the insured.
    for count, spend in (
            ("aid.vocational_grant.recipients", "aid.vocational_grant.spend"),
            ("aid.vocational_tuition.recipients",
             "aid.vocational_tuition.spend"),
            ("aid.highschool_grant.recipients", "aid.highschool_grant.spend"),
            ("pension.resident_basic.beneficiaries",
             "pension.resident_basic.spend"),
            ("health.family_planning.beneficiaries",
             "health.family_planning.spend")):
        put(count, split(count, pop))
        rate = F(f[spend], f[count]) if f[count] else F(0)
        assert rate.denominator == 1, (city, spend)
        put(spend, [o[count] * rate.numerator for o in out])
    put("medical.resident_insurance.insured",
        split("medical.resident_insurance.insured", pop))
    put("medical.resident_insurance.subsidy",
        split("medical.resident_insurance.subsidy",
              [o["medical.resident_insurance.insured"] for o in out]))
    for key in out[0]:
        assert sum(o[key] for o in out) == f[key], (city, key)
    return {cs[i][0]: out[i] for i in range(n)}


def county_transfers(city, year, transfers, cfacts):
    """{county: {item: yuan}}: the province's transfer for every shared
    item on each county, the county's due as finance.county_cost_sharing
    computes it (round(share × required)). Where the rounded parts fall
    short of the city's rounded row, the yuan left go one each to the
    counties whose own spending has the largest margin above the required
    funding; where they exceed it, the city's row becomes their sum
    (`transfers` is updated). Either way the counties' parts add up
    exactly to the city's row."""
    share = TIER_SHARES[next(c[4] for c in CITIES if c[0] == city)]
    codes = [c[0] for c in COUNTIES[city]]
    out = {code: {} for code in codes}
    for item in SHARED_ITEMS:
        dues, margin = [], []
        for code in codes:
            required = 0
            for key, ben, periods in FUNDING[item]:
                required += binding(key, year) * cfacts[code][ben] * periods
            dues.append(round_yuan(share * required))
            margin.append(sum(cfacts[code][k] for k in SPEND[item])
                          - required)
        left = transfers[city][year][item] - sum(dues)
        if left < 0:
            transfers[city][year][item] = sum(dues)
            left = 0
        order = sorted(range(len(codes)), key=lambda i: (-margin[i], i))
        for i in order[:left]:
            assert margin[i] >= 1, (city, year, item)
            dues[i] += 1
        for code, part in zip(codes, dues):
            out[code][item] = part
    return out


# The spending metrics of each shared item (scripts/lib/funding.lua).
SPEND = {
    "edu.public_funds": ["edu.public_funds.spend.primary",
                         "edu.public_funds.spend.junior"],
    "edu.living_allowance": ["edu.living_allowance.spend.primary",
                             "edu.living_allowance.spend.junior"],
    "edu.nutrition": ["edu.nutrition.spend"],
    "aid.vocational_grant": ["aid.vocational_grant.spend"],
    "aid.vocational_tuition": ["aid.vocational_tuition.spend"],
    "aid.highschool_grant": ["aid.highschool_grant.spend"],
    "pension.resident_basic": ["pension.resident_basic.spend"],
    "medical.resident_insurance": ["medical.resident_insurance.subsidy"],
    "health.public_health": ["health.public_health.spend"],
    "health.family_planning": ["health.family_planning.spend"],
}

# City–county splits (illustrative): the city's part of what the province
# does not pay, the rest being the county's. Per city a default from 2018
# and an item whose split differs from 2019: (city, item, year_from,
# city_share).
SPLITS = [
    ("440100", None, 2018, F("0.5")),
    ("440100", "health.public_health", 2019, F("0.6")),
    ("440800", None, 2018, F("0.4")),
    ("440800", "health.public_health", 2019, F("0.5")),
    ("441400", None, 2018, F("0.3")),
    ("441400", "edu.public_funds", 2019, F("0.4")),
    ("441600", None, 2018, F("0.3")),
    ("441600", "medical.resident_insurance", 2019, F("0.2")),
]

# City→county payments that differ from the city's part (the story): 湛江
# paid 徐闻县's 2019 public health only 80% of its part.
CITY_PAID_RATIO = {("440825", 2019, "health.public_health"): F("0.8")}


def split_of(city, item, year):
    """The city's split in force for item in year (its own row, else its
    default; the latest year_from wins), as the engine reads it."""
    own = [s for s in SPLITS if s[0] == city and s[1] == item
           and s[2] <= year]
    dflt = [s for s in SPLITS if s[0] == city and s[1] is None
            and s[2] <= year]
    rows = own or dflt
    return max(rows, key=lambda s: s[2])[3]


def city_payments(city, year, cfacts):
    """{county: {item: yuan}}: what the city paid each county, its due as
    finance.county_cost_sharing computes it, round(split × (required −
    province due)), × CITY_PAID_RATIO where the story says so."""
    share = TIER_SHARES[next(c[4] for c in CITIES if c[0] == city)]
    out = {}
    for code, *_ in COUNTIES[city]:
        out[code] = {}
        for item in SHARED_ITEMS:
            required = 0
            for key, ben, periods in FUNDING[item]:
                required += binding(key, year) * cfacts[code][ben] * periods
            rest = required - round_yuan(share * required)
            due = round_yuan(split_of(city, item, year) * rest)
            out[code][item] = round_yuan(
                CITY_PAID_RATIO.get((code, year, item), 1) * due)
    return out


def fmt(v):
    """A CSV field: empty for None, shortest decimal for a fraction."""
    if v is None:
        return ""
    if isinstance(v, F):
        return str(float(v)) if v.denominator != 1 else str(v.numerator)
    return str(v)


def write(name, header, rows):
    """Writes one CSV file beside this script: UTF-8, LF, minimal quoting."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(v) for v in r])


# The value domain each metric declares (kind, integer, min, min_open, max,
# max_open; None leaves the kind's default): people and households are
# counts (whole numbers >= 0), yuan is money (>= 0). Population divides
# every per-capita figure, so it must be more than zero.
POSITIVE = ("pop.resident", "pop.registered")


def metric_domain(m):
    key, unit = m[0], m[2]
    kind = {"人": "count", "户": "count", "元": "money"}[unit]
    if key in POSITIVE:
        return (kind, None, 0, 1, None, None)
    return (kind, None, None, None, None, None)


def main():
    write("region.csv",
          ["code", "name", "name_en", "level", "parent", "zone", "tier"],
          [(PROVINCE, "广东省", "Guangdong", "province", None, None, None)]
          + [(c[0], c[1], c[2], "city", PROVINCE, c[3], c[4])
             for c in sorted(CITIES)]
          + [(k[0], k[1], k[2], "county", c[0], c[3], c[4])
             for c in sorted(CITIES) for k in COUNTIES.get(c[0], [])])
    write("metric.csv", ["key", "name", "unit", "department", "description",
                         "kind", "integer", "min", "min_open", "max",
                         "max_open"],
          [m + metric_domain(m) for m in METRICS])
    write("item.csv", ["code", "category", "name", "department", "unit",
                       "beneficiary_metric", "served", "content",
                       "responsibility", "lead"],
          [i + list_texts(i[0]) for i in ITEMS])
    write("standard.csv", ["key", "scope", "region", "year_from", "year_to",
                           "value", "unit", "basis"], STANDARDS)
    write("share.csv", ["item", "tier", "year_from", "year_to",
                        "province_share"],
          [(item, tier, 2018, None, TIER_SHARES[tier])
           for item in SHARED_ITEMS for tier in sorted(TIER_SHARES)])

    facts, transfers = {}, {}
    for c in sorted(CITIES):
        facts[c[0]] = city_facts(c)
        transfers[c[0]] = city_transfers(c, facts[c[0]])

    cfacts, ctransfers, cpayments = {}, {}, {}
    for year in YEARS:
        for city in sorted(COUNTIES):
            for code, v in county_facts(city, facts[city][year]).items():
                cfacts.setdefault(code, {})[year] = v
            ct = county_transfers(
                city, year, transfers,
                {code: cfacts[code][year] for code, *_ in COUNTIES[city]})
            for code, v in ct.items():
                ctransfers.setdefault(code, {})[year] = v
            cp = city_payments(
                city, year,
                {code: cfacts[code][year] for code, *_ in COUNTIES[city]})
            for code, v in cp.items():
                cpayments.setdefault(code, {})[year] = v

    write("transfer.csv", ["region", "year", "item", "amount"],
          [(code, year, item, amount)
           for year in YEARS for code in sorted(transfers)
           for item, amount in sorted(transfers[code][year].items())]
          + [(code, year, item, amount)
             for year in YEARS for code in sorted(ctransfers)
             for item, amount in sorted(ctransfers[code][year].items())])

    write("split.csv", ["city", "item", "year_from", "year_to",
                        "city_share"],
          [(city, item, y0, None, v) for city, item, y0, v in SPLITS])
    write("city_transfer.csv", ["region", "year", "item", "amount"],
          [(code, year, item, amount)
           for year in YEARS for code in sorted(cpayments)
           for item, amount in sorted(cpayments[code][year].items())])

    metric_keys = [m[0] for m in METRICS]
    rows = []
    for year in YEARS:
        # The province has no rows of its own: every metric sums (a count
        # or money), so a run derives the province's value from its
        # cities' (metric.aggregate); where a city lacks one (GAPS), the
        # province's value is absent too, never a partial sum.
        for code in sorted(facts):
            zone = next(c[3] for c in CITIES if c[0] == code)
            for key in metric_keys:
                if (code, year, key) in GAPS:
                    continue
                source = ESTIMATE
                if key == "pop.resident" and year == 2019 and zone == "core":
                    source = CHECKED_POP_SOURCE
                rows.append((code, year, key, facts[code][year][key],
                             source))
        # the counties: their cities' figures split (county_facts)
        for code in sorted(cfacts):
            for key in metric_keys:
                if key in cfacts[code][year]:
                    rows.append((code, year, key, cfacts[code][year][key],
                                 ESTIMATE))
    write("fact.csv", ["region", "year", "metric", "value", "source"], rows)
    write("zone.csv", ["code", "name", "short_name", "colour", "sort"], ZONES)
    write("setting.csv", ["key", "value"], [("policy", POLICY)])
    write("national_average.csv",
          ["key", "year", "value", "unit", "basis", "source"],
          [(key, year, values[year], unit, NA_BASIS, ESTIMATE)
           for key, values, unit in sorted(NATIONAL_AVERAGES)
           for year in sorted(values)])


if __name__ == "__main__":
    main()
