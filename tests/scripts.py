# ruff: noqa: E501 - sentences of prose, one a line
"""A small corpus of our own in three scripts (Latin, Arabic, CJK): in each, a local agency's
story, a site's copy of it inside its page furniture, a newspaper's rewrite of it (sentences
reordered, reworded, one dropped), and an independent story on the same event with the same
names. Written for the tests; the places and people are made up."""

from __future__ import annotations

import json
from pathlib import Path

# --- Spanish (Latin script) ---
es_src = [
    "El ayuntamiento de Puerto Alto aprobó el martes un plan de 40 millones de euros para renovar el muelle pesquero, tras dos años de debates con las cofradías de la ciudad.",
    "El proyecto incluye una nueva lonja refrigerada, dos grúas eléctricas y un dique de abrigo que protegerá a la flota de los temporales de invierno.",
    "La alcaldesa, Marta Ibáñez, explicó que las obras comenzarán en septiembre y se realizarán en tres fases para no interrumpir la actividad de los pescadores.",
    "Los vecinos del barrio de La Ribera habían pedido que se limitara el tráfico de camiones por el paseo marítimo durante la construcción.",
    "El plan final obliga a la empresa adjudicataria a usar un acceso provisional por el polígono industrial y a trabajar solo en horario diurno.",
    "La cofradía de pescadores celebró la decisión, aunque advirtió de que vigilará que se cumplan los plazos previstos para la nueva lonja.",
]
es_rewrite = [
    "Puerto Alto renovará su muelle pesquero con una inversión de 40 millones de euros, según decidió este martes el pleno municipal después de dos años de negociación con las cofradías.",
    "Las obras arrancarán en septiembre y se harán en tres etapas para que los pescadores puedan seguir trabajando, señaló la alcaldesa Marta Ibáñez.",
    "El proyecto contempla una lonja refrigerada nueva, dos grúas eléctricas y un dique que resguardará a los barcos de los temporales invernales.",
    "La empresa que ejecute las obras tendrá que utilizar un acceso provisional a través del polígono industrial y limitarse al horario de día, como reclamaban los vecinos de La Ribera.",
    "Los pescadores aplaudieron el acuerdo, pero avisaron de que estarán atentos al cumplimiento de los plazos.",
]
es_other = [
    "Los pescadores de Puerto Alto llevan años quejándose del estado del muelle, donde las grietas del hormigón obligan a descargar el pescado con cuidado.",
    "En una visita al puerto, varios patrones contaron que los temporales del último invierno dañaron cinco embarcaciones amarradas junto al viejo dique.",
    "La alcaldesa Marta Ibáñez ha prometido en varias ocasiones una reforma, y la oposición municipal critica que el anuncio llegue a un año de las elecciones.",
    "Un portavoz de la oposición pidió que se publiquen los informes técnicos y que se consulte a los comerciantes del mercado antes de firmar cualquier contrato.",
    "Mientras tanto, la lonja actual sigue funcionando con cámaras frigoríficas de hace treinta años que, según los trabajadores, fallan cada verano.",
]
# --- Urdu (Arabic script) ---
ur_src = [
    "لاہور کی ضلعی حکومت نے منگل کے روز شہر کی پرانی سبزی منڈی کو نئی جگہ منتقل کرنے کے منصوبے کی منظوری دے دی، جس پر دو سال سے تاجروں کے ساتھ بات چیت جاری تھی۔",
    "منصوبے کے تحت شہر کے باہر پچاس ایکڑ زمین پر جدید منڈی بنائی جائے گی جس میں سرد خانے، پارکنگ اور ٹرکوں کے لیے الگ راستے ہوں گے۔",
    "ڈپٹی کمشنر نے بتایا کہ تعمیر کا کام ستمبر میں شروع ہوگا اور تین مرحلوں میں مکمل کیا جائے گا تاکہ کاروبار متاثر نہ ہو۔",
    "پرانی منڈی کے قریب رہنے والے شہری برسوں سے ٹریفک جام اور گندگی کی شکایت کر رہے تھے۔",
    "تاجروں کی تنظیم نے فیصلے کا خیر مقدم کیا لیکن مطالبہ کیا کہ نئی منڈی میں دکانوں کا کرایہ مناسب رکھا جائے۔",
    "حکام کے مطابق منصوبے پر لاگت کا تخمینہ تین ارب روپے لگایا گیا ہے جو صوبائی حکومت فراہم کرے گی۔",
]
ur_rewrite = [
    "ضلعی انتظامیہ لاہور نے پرانی سبزی منڈی کی منتقلی کے منصوبے کو منگل کو منظور کر لیا، تاجروں سے اس معاملے پر دو برس سے مذاکرات ہو رہے تھے۔",
    "ڈپٹی کمشنر کے مطابق تعمیراتی کام ستمبر میں شروع کیا جائے گا اور یہ تین مراحل میں مکمل ہوگا تاکہ تجارت میں رکاوٹ نہ آئے۔",
    "شہر سے باہر پچاس ایکڑ رقبے پر بننے والی نئی منڈی میں سرد خانے، پارکنگ اور ٹرکوں کے لیے علیحدہ راستے بنائے جائیں گے۔",
    "منصوبے کی لاگت کا اندازہ تین ارب روپے ہے جو صوبائی حکومت ادا کرے گی۔",
    "تاجر تنظیم نے فیصلے کو سراہا تاہم کہا کہ نئی منڈی میں دکانوں کے کرائے مناسب ہونے چاہئیں۔",
]
ur_other = [
    "لاہور کی پرانی سبزی منڈی میں صبح سویرے ٹرکوں کی لمبی قطاریں لگ جاتی ہیں اور آس پاس کی سڑکیں گھنٹوں بند رہتی ہیں۔",
    "منڈی کے ایک بزرگ آڑھتی نے بتایا کہ وہ چالیس سال سے یہاں کام کر رہے ہیں اور جگہ کی تبدیلی سے ان کے گاہک کم ہو سکتے ہیں۔",
    "ڈپٹی کمشنر نے گزشتہ ماہ منڈی کا دورہ کیا تھا اور صفائی کی ناقص صورتحال پر برہمی کا اظہار کیا تھا۔",
    "شہری تنظیموں کا کہنا ہے کہ منڈی کی منتقلی سے پہلے نئی جگہ تک پبلک ٹرانسپورٹ کا انتظام کیا جانا چاہیے۔",
    "ماہرین کے مطابق شہر میں پھلوں اور سبزیوں کا ضیاع کم کرنے کے لیے سرد خانوں کی تعداد بڑھانا ضروری ہے۔",
]
# --- Chinese (CJK) ---
zh_src = [
    "海港市政府周二批准了一项耗资十二亿元的旧码头改造计划，此前市政府与渔民协会就此讨论了两年。",
    "根据计划，码头将新建一座冷藏交易大厅、两台电动起重机和一道防波堤，以保护渔船免受冬季风暴的影响。",
    "市长李明表示，工程将于九月开工，分三个阶段进行，以免影响渔民的正常作业。",
    "码头附近的居民此前要求在施工期间限制卡车在海滨大道上通行。",
    "最终方案要求施工单位使用经过工业园区的临时通道，并且只能在白天施工。",
    "渔民协会对这一决定表示欢迎，但表示将密切关注新交易大厅能否按期完工。",
]
zh_rewrite = [
    "经过与渔民协会两年的协商，海港市政府于本周二通过了旧码头改造方案，总投资十二亿元。",
    "市长李明介绍，工程九月开工，将分三期推进，尽量不影响渔民作业。",
    "改造内容包括新建冷藏交易大厅、两台电动起重机以及一道防波堤，用来在冬季风暴中保护渔船。",
    "按照最终方案，施工单位须经工业园区的临时通道进出，并且只能白天施工，这也回应了海滨居民的诉求。",
    "渔民协会欢迎这一决定，同时表示会关注工期。",
]
zh_other = [
    "海港市旧码头的混凝土已经出现多处裂缝，渔民卸货时不得不格外小心。",
    "多名船长说，去年冬天的风暴损坏了停靠在旧防波堤旁的五艘渔船。",
    "市长李明曾多次承诺改造码头，但反对派批评这一消息在选举前一年才公布。",
    "一名反对派发言人要求公开技术报告，并在签订合同前征求市场商户的意见。",
    "与此同时，现有交易大厅仍在使用三十年前的冷库设备，工人们说每年夏天都会出故障。",
]

SCRIPTS = {
    "es": (es_src, es_rewrite, es_other, ("Agencia Costera", "Diario del Puerto", "La Voz de la Ribera", "El Faro")),
    "ur": (ur_src, ur_rewrite, ur_other, ("Lahore News Service", "Roznama Shehar", "Akhbar-e-Lahore", "Shaam Times")),
    "zh": (zh_src, zh_rewrite, zh_other, ("海港通讯社", "海港日报", "滨海晚报", "东方时报")),
}
CHROME = "Inicio | Noticias | Deportes | Contacto\nSuscríbase a nuestro boletín\n"


def documents() -> list[dict[str, str]]:
    """Four documents a script: source, copy (in page furniture), rewrite, other."""
    docs = []
    for lang, (source, rewrite, other, publishers) in SCRIPTS.items():
        texts = {
            "source": "\n\n".join(source),
            "copy": CHROME + "\n\n".join(source[:5]) + "\n\n© 2026",
            "rewrite": "\n\n".join(rewrite),
            "other": "\n\n".join(other),
        }
        for (role, text), publisher in zip(texts.items(), publishers, strict=True):
            docs.append({"id": f"{lang}-{role}", "text": text, "publisher": publisher, "published": "2026-04-02"})
    return docs


def write(folder: Path) -> Path:
    """The corpus in the corpora format (documents.jsonl, labels.jsonl) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents())
    (folder / "documents.jsonl").write_text(lines, encoding="utf-8")
    labels = [
        (f"{lang}-{a}", f"{lang}-{b}", label)
        for lang in SCRIPTS
        for a, b, label in (("source", "copy", "wholly"), ("source", "rewrite", "partially"),
                            ("source", "other", "non"), ("rewrite", "other", "non"))
    ]  # fmt: skip
    (folder / "labels.jsonl").write_text(
        "".join(json.dumps({"a": a, "b": b, "label": label}) + "\n" for a, b, label in labels), encoding="utf-8"
    )
    return folder
