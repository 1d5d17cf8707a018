"""Closed word classes the extractors use as context cues (function words and grammar, not entities).

Entities live in ontology/; these are the English words around them that tell what a mention is.
"""
from __future__ import annotations

REPORTING_VERBS = frozenset("""
said say says told tell tells wrote writes write added adds stated states declared declares announced announces
urged urges warned warns stressed stresses noted notes claimed claims repeated repeats insisted insists tweeted
posted reported reports described describes called calling confirmed confirms explained explains according
dismissed dismisses accused accuses acknowledged admitted replied responded promised promises vowed vows
argued argues asserted asserts remarked recalled complained denied denies estimated estimates
""".split())
TITLE_WORDS = frozenset("""
president mayor governor minister spokesman spokeswoman spokesperson chief head commander general aide envoy
secretary chancellor premier ombudsman prosecutor lawmaker deputy adviser advisor ambassador colonel lieutenant
captain sergeant major pope king queen prince dr mr mrs ms leader director chairman chairwoman senator
representative resident pharmacist witness doctor nurse teacher engineer driver student officer official
commissioner councillor councilor speaker mp lt gen col sgt capt adm admiral marshal inspector coordinator
vice prime foreign defence defense interior regional state military intelligence presidential economy energy
justice health finance first sr jr st resident survivor volunteer priest father rescuer soldier serviceman
retiree pensioner mother wife husband son daughter neighbour neighbor shopkeeper owner manager worker
rear brigadier press
""".split())
ORG_HEADS = frozenset("""
ministry service services agency police company corporation forces force staff administration council committee
office bank fund institute university party guard army navy fleet directorate department commission court
parliament group association union organisation organization network brigade battalion regiment corps division
command government authority authorities railways railway operator mission cabinet assembly center centre
airlines airline inc ltd llc
""".split())
PLACE_HEADS = {"region": "region", "regions": "region", "oblast": "region", "oblasts": "region",
               "province": "region", "provinces": "region", "krai": "region", "territory": "region",
               "district": "district", "districts": "district", "raion": "district", "county": "district",
               "governorate": "region", "governorates": "region", "township": "district", "townships": "district"}
SITE_HEADS = frozenset("""
palace airport airfield airbase station square bridge cathedral church monastery plant refinery port harbour
harbor terminal stadium hospital park dam market embassy consulate base depot
mall street avenue theater theatre reactor crossing
""".split())
STORE_HEADS = frozenset("store hypermarket supermarket mall".split())
SETTLEMENT_WORDS = frozenset("""village town city settlement hamlet suburb township community villages towns cities
settlements hamlets suburbs communities""".split())
LOCATIVE_PREPS = frozenset("in over near at towards toward outside around across into on inside within throughout".split())
METONYM_VERBS = frozenset("""
said says say has had have will would wants want demanded demands denied denies claimed claims accused accuses
launched launches insisted insists considered considers rejected rejects responded seeks sought refused refuses
must should could can may might did does holds held stated announced warned threatened agreed blamed sent
continues continued hopes believes argued maintains used uses is was are were blamed blames accused condemned
condemns called calls vowed vows promised promises rejected responded retaliated welcomed welcomes praised
criticised criticized expects expected insisted signalled signaled demanded refused""".split())
PASSIVE_ATTACK = frozenset("""hit struck attacked shelled targeted bombarded plunged rocked shaken under damaged
hammered pounded battered""".split())
METONYM_POSSESSED = frozenset("""
demands position government forces troops army claims invasion aggression offensive allies stance envoy
delegation negotiators war leadership proposal response refusal plans efforts attacks strikes missiles drones
military regime policy sanctions decision terms conditions ultimatum""".split())
AUXILIARIES = frozenset("is was are were has had have will would can could may might must should".split())
MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
SENTENCE_START_WORDS = frozenset("""
the a an this that these those it its he she they we i you his her their our my your there here then when while
after before during since as at in on of for from by with without about above across against along among around
but and or nor so yet if unless although though because once until despite however meanwhile also still even
many most some several few all both each every no any one two three four five six seven eight nine ten
initial early late later earlier last first next previous new old local regional national other another such
families residents people officials loud massive rising human videos despite standing hours by according
""".split())
