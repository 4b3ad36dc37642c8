"""The Free, Pro monthly and Pro annual plans, their prices, and Free for existing workspaces."""

from django.db import migrations

LANGS = ["en", "es", "fr", "de", "pt", "ja", "ko", "zh_hans", "hi"]

PLANS = [
    {
        "key": "free",
        "tier": "free",
        "interval": "none",
        "sort_order": 0,
        "name": ["Free", "Gratis", "Gratuit", "Kostenlos", "Grátis", "無料", "무료", "免费", "फ़्री"],
        "description": [
            "Make videos from the free templates in 720p, with one brand kit and a team of three.",
            "Crea videos con las plantillas gratuitas en 720p, con un kit de marca y un equipo de tres personas.",
            "Créez des vidéos à partir des modèles gratuits en 720p, avec un kit de marque et une équipe de trois personnes.",
            "Erstelle Videos aus den kostenlosen Vorlagen in 720p, mit einem Markenkit und einem Team aus drei Personen.",
            "Crie vídeos com os modelos gratuitos em 720p, com um kit de marca e uma equipe de três pessoas.",
            "無料テンプレートから720pの動画を作成できます。ブランドキット1つ、チームは3人まで。",
            "무료 템플릿으로 720p 동영상을 만들 수 있습니다. 브랜드 키트 1개, 팀원 3명까지.",
            "使用免费模板制作 720p 视频，包含 1 个品牌套件，团队最多 3 人。",
            "फ़्री टेम्पलेट से 720p वीडियो बनाएँ, एक ब्रांड किट और तीन लोगों की टीम के साथ।",
        ],
        "prices": {},
    },
    {
        "key": "pro-monthly",
        "tier": "pro",
        "interval": "month",
        "sort_order": 10,
        "name": [
            "Pro (monthly)", "Pro (mensual)", "Pro (mensuel)", "Pro (monatlich)", "Pro (mensal)",
            "Pro(月額)", "Pro (월간)", "Pro(按月)", "Pro (मासिक)",
        ],
        "description": [
            "Every template, 1080p output, ten brand kits, a team of twenty and all five platforms. Billed every month.",
            "Todas las plantillas, salida en 1080p, diez kits de marca, un equipo de veinte personas y las cinco plataformas. Facturación mensual.",
            "Tous les modèles, export en 1080p, dix kits de marque, une équipe de vingt personnes et les cinq plateformes. Facturé chaque mois.",
            "Alle Vorlagen, Ausgabe in 1080p, zehn Markenkits, ein Team aus zwanzig Personen und alle fünf Plattformen. Monatliche Abrechnung.",
            "Todos os modelos, saída em 1080p, dez kits de marca, uma equipe de vinte pessoas e as cinco plataformas. Cobrança mensal.",
            "すべてのテンプレート、1080p出力、ブランドキット10個、チーム20人、5つすべてのプラットフォーム。毎月のお支払い。",
            "모든 템플릿, 1080p 출력, 브랜드 키트 10개, 팀원 20명, 다섯 개 플랫폼 모두. 매월 결제.",
            "全部模板、1080p 输出、10 个品牌套件、20 人团队以及全部五个平台。按月计费。",
            "सभी टेम्पलेट, 1080p आउटपुट, दस ब्रांड किट, बीस लोगों की टीम और पाँचों प्लैटफ़ॉर्म। हर महीने बिलिंग।",
        ],
        "prices": {
            "USD": 1200, "EUR": 1100, "GBP": 1000, "JPY": 1800,
            "INR": 99900, "BRL": 5900, "KRW": 16000, "CNY": 8800,
        },
    },
    {
        "key": "pro-annual",
        "tier": "pro",
        "interval": "year",
        "sort_order": 20,
        "name": [
            "Pro (annual)", "Pro (anual)", "Pro (annuel)", "Pro (jährlich)", "Pro (anual)",
            "Pro(年額)", "Pro (연간)", "Pro(按年)", "Pro (वार्षिक)",
        ],
        "description": [
            "Everything in Pro, billed once a year: two months free compared with monthly.",
            "Todo lo de Pro, con facturación anual: dos meses gratis frente al plan mensual.",
            "Tout Pro, facturé une fois par an : deux mois offerts par rapport au mensuel.",
            "Alles aus Pro, einmal im Jahr abgerechnet: zwei Monate gratis gegenüber monatlicher Zahlung.",
            "Tudo do Pro, com cobrança anual: dois meses grátis em comparação com o mensal.",
            "Proのすべてを年1回のお支払いで。月額より2か月分お得です。",
            "Pro의 모든 기능을 연 1회 결제로. 월간 대비 2개월 무료.",
            "Pro 的全部功能，每年付费一次：比按月付费节省两个月。",
            "Pro की हर सुविधा, साल में एक बार बिलिंग: मासिक के मुक़ाबले दो महीने मुफ़्त।",
        ],
        # Ten months' price: below twelve monthly payments in every currency.
        "prices": {
            "USD": 12000, "EUR": 11000, "GBP": 10000, "JPY": 18000,
            "INR": 999000, "BRL": 59000, "KRW": 160000, "CNY": 88000,
        },
    },
]  # fmt: skip


def create_plans(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    PlanPrice = apps.get_model("billing", "PlanPrice")
    Subscription = apps.get_model("billing", "Subscription")
    Team = apps.get_model("teams", "Team")
    for spec in PLANS:
        fields = {
            "tier": spec["tier"],
            "interval": spec["interval"],
            "sort_order": spec["sort_order"],
            "name": spec["name"][0],
            "description": spec["description"][0],
        }
        for lang, name, description in zip(LANGS, spec["name"], spec["description"]):
            fields[f"name_{lang}"] = name
            fields[f"description_{lang}"] = description
        plan, _ = Plan.objects.update_or_create(key=spec["key"], defaults=fields)
        for currency, amount in spec["prices"].items():
            PlanPrice.objects.update_or_create(
                plan=plan, currency=currency, defaults={"amount": amount}
            )
    free = Plan.objects.get(key="free")
    for team in Team.objects.filter(subscription__isnull=True):
        Subscription.objects.create(workspace=team, plan=free)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("teams", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_plans, migrations.RunPython.noop)]
