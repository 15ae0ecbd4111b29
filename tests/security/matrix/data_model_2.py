"""The canonical data model II API: ethiKos, KonnectED and the staff-only Insights reports.

The world's objects belong to `owner`; `stranger` is signed in with no relation to them, so it
reads what every member reads, writes its own rows, and is refused (403) on the owner's objects
and on moderator actions. Insights is for staff only.
"""

from datetime import timedelta

from django.utils import timezone

from konnaxion.ethikos.models import EthikosArgument, EthikosCategory
from konnaxion.ethikos.services.konsultations import consultation_close, consultation_create
from konnaxion.ethikos.services.korum import topic_create
from konnaxion.konnected.models import CertificationPath, InteropMapping
from konnaxion.konnected.services import cocreation, forums, knowledge
from konnaxion.konnected.services.certification import evaluation_submit
from konnaxion.users.tests.factories import UserFactory
from tests.security.matrix import World, row
from tests.security.matrix.core import api_client_for

MEMBER = {"anonymous": 401, "stranger": 200}
CREATES = {"anonymous": 401, "stranger": 201}
OWNER_ONLY = {"anonymous": 401, "stranger": 403}
STAFF_ONLY = {"anonymous": 401, "stranger": 403, "staff": 200}
QUIZ = [{"question": "2 + 2?", "options": ["3", "4"], "answer": 1}]


def world_setup(world: World) -> None:
    owner = UserFactory(username="owner2")
    moderator = UserFactory(username="moderator2", is_staff=True)
    world.users["owner2"] = owner
    world.users["staff"] = UserFactory(username="staff2", is_staff=True)
    now = timezone.now()
    world.ethikos_category = EthikosCategory.objects.create(name="Ethics")
    world.topic = topic_create(created_by=owner, title="Should cities ban cars?")
    world.argument = EthikosArgument.objects.create(
        topic=world.topic, author=owner, content="Cleaner air.", side="pro"
    )
    world.consultation = consultation_create(
        created_by=moderator,
        title="Parks budget",
        open_date=now - timedelta(days=1),
        close_date=now + timedelta(days=7),
    )
    closed = consultation_create(
        created_by=moderator,
        title="Library hours",
        open_date=now - timedelta(days=9),
        close_date=now + timedelta(days=1),
    )
    world.result = consultation_close(consultation=closed)
    world.path = CertificationPath.objects.create(name="Arithmetic", quiz=QUIZ)
    world.interop = InteropMapping.objects.create(
        local_certification=world.path, external_system="moodle", external_id="arith-1"
    )
    world.evaluation = evaluation_submit(user=owner, path=world.path, answers=[1])
    world.resource = knowledge.knowledge_resource_create(
        author=owner, title="Fractions", type="lesson", url="https://example.org/fractions"
    )
    world.portfolio = knowledge.portfolio_create(user=owner, title="Mine", items=[world.resource])
    world.cocreation = cocreation.cocreation_project_create(owner=owner, title="A course")
    world.contribution = cocreation.contribution_submit(
        project=world.cocreation, user=owner, content="Chapter one"
    )
    world.forum_topic = forums.forum_topic_create(creator=owner, title="Study group")


CALLERS = {"staff": lambda world: api_client_for(world.users["staff"])}

E = "api/ethikos/"
K = "api/konnected/"
PK = "(?P<pk>[^/.]+)/"

ROWS = [
    # ethiKos: Korum
    row("GET", f"{E}^categories/$", MEMBER, path="/api/ethikos/categories/"),
    row(
        "GET",
        f"{E}^categories/{PK}$",
        MEMBER,
        path="/api/ethikos/categories/{w.ethikos_category.pk}/",
    ),
    row("GET", f"{E}^topics/$", MEMBER, path="/api/ethikos/topics/"),
    row("POST", f"{E}^topics/$", CREATES, path="/api/ethikos/topics/", body={"title": "Why?"}),
    row("GET", f"{E}^topics/{PK}$", MEMBER, path="/api/ethikos/topics/{w.topic.pk}/"),
    row(
        "POST",
        f"{E}^topics/{PK}status/$",
        OWNER_ONLY,
        path="/api/ethikos/topics/{w.topic.pk}/status/",
        body={"status": "closed"},
    ),
    row("GET", f"{E}^stances/$", MEMBER, path="/api/ethikos/stances/"),
    row(
        "POST",
        f"{E}^stances/$",
        CREATES,
        path="/api/ethikos/stances/",
        body=lambda w: {"topic": w.topic.pk, "value": -2},
    ),
    row("GET", f"{E}^arguments/$", MEMBER, path="/api/ethikos/arguments/"),
    row(
        "POST",
        f"{E}^arguments/$",
        CREATES,
        path="/api/ethikos/arguments/",
        body=lambda w: {"topic": w.topic.pk, "parent": w.argument.pk, "content": "But jobs."},
    ),
    row("GET", f"{E}^arguments/{PK}$", MEMBER, path="/api/ethikos/arguments/{w.argument.pk}/"),
    row(
        "POST",
        f"{E}^arguments/{PK}report/$",
        {"anonymous": 401, "stranger": 204},
        path="/api/ethikos/arguments/{w.argument.pk}/report/",
        body={"reason": "off topic"},
    ),
    # ethiKos: Konsultations
    row("GET", f"{E}^consultations/$", MEMBER, path="/api/ethikos/consultations/"),
    row(
        "POST",
        f"{E}^consultations/$",
        OWNER_ONLY,
        path="/api/ethikos/consultations/",
        body=lambda w: {
            "title": "Transit",
            "open_date": timezone.now().isoformat(),
            "close_date": (timezone.now() + timedelta(days=3)).isoformat(),
        },
    ),
    row(
        "GET",
        f"{E}^consultations/{PK}$",
        MEMBER,
        path="/api/ethikos/consultations/{w.consultation.pk}/",
    ),
    row(
        "POST",
        f"{E}^consultations/{PK}close/$",
        OWNER_ONLY,
        path="/api/ethikos/consultations/{w.consultation.pk}/close/",
    ),
    row("GET", f"{E}^suggestions/$", MEMBER, path="/api/ethikos/suggestions/"),
    row(
        "POST",
        f"{E}^suggestions/$",
        CREATES,
        path="/api/ethikos/suggestions/",
        body=lambda w: {"consultation": w.consultation.pk, "content": "More trees."},
    ),
    row("GET", f"{E}^consultation-votes/$", MEMBER, path="/api/ethikos/consultation-votes/"),
    row(
        "POST",
        f"{E}^consultation-votes/$",
        CREATES,
        path="/api/ethikos/consultation-votes/",
        body=lambda w: {"consultation": w.consultation.pk, "raw_value": 1},
    ),
    row("GET", f"{E}^results/$", MEMBER, path="/api/ethikos/results/"),
    row("GET", f"{E}^results/{PK}$", MEMBER, path="/api/ethikos/results/{w.result.pk}/"),
    row("GET", f"{E}^impact-tracks/$", MEMBER, path="/api/ethikos/impact-tracks/"),
    row(
        "POST",
        f"{E}^impact-tracks/$",
        OWNER_ONLY,
        path="/api/ethikos/impact-tracks/",
        body=lambda w: {"consultation": w.result.consultation_id, "action": "Plant trees"},
    ),
    # KonnectED
    row("GET", f"{K}^paths/$", MEMBER, path="/api/konnected/paths/"),
    row("GET", f"{K}^paths/{PK}$", MEMBER, path="/api/konnected/paths/{w.path.pk}/"),
    row("GET", f"{K}^evaluations/$", MEMBER, path="/api/konnected/evaluations/"),
    row(
        "POST",
        f"{K}^evaluations/$",
        CREATES,
        path="/api/konnected/evaluations/",
        body=lambda w: {"path": w.path.pk, "answers": [0]},
    ),
    row("GET", f"{K}^peer-validations/$", MEMBER, path="/api/konnected/peer-validations/"),
    row(
        "POST",
        f"{K}^peer-validations/$",
        CREATES,
        path="/api/konnected/peer-validations/",
        body=lambda w: {"evaluation": w.evaluation.pk, "decision": "approved"},
    ),
    row("GET", f"{K}^interop-mappings/$", MEMBER, path="/api/konnected/interop-mappings/"),
    row(
        "GET",
        f"{K}^interop-mappings/{PK}$",
        MEMBER,
        path="/api/konnected/interop-mappings/{w.interop.pk}/",
    ),
    row("GET", f"{K}^resources/$", MEMBER, path="/api/konnected/resources/"),
    row(
        "POST",
        f"{K}^resources/$",
        CREATES,
        path="/api/konnected/resources/",
        body={"title": "Maps", "type": "dataset", "url": "https://example.org/maps.csv"},
    ),
    row("GET", f"{K}^resources/{PK}$", MEMBER, path="/api/konnected/resources/{w.resource.pk}/"),
    row("GET", f"{K}^recommendations/$", MEMBER, path="/api/konnected/recommendations/"),
    row(
        "POST",
        f"{K}^recommendations/$",
        CREATES,
        path="/api/konnected/recommendations/",
        body=lambda w: {"user": "owner2", "resource": w.resource.pk},
    ),
    row("GET", f"{K}^progress/$", MEMBER, path="/api/konnected/progress/"),
    row(
        "POST",
        f"{K}^progress/$",
        CREATES,
        path="/api/konnected/progress/",
        body=lambda w: {"resource": w.resource.pk, "progress_percent": 40},
    ),
    row("GET", f"{K}^portfolios/$", MEMBER, path="/api/konnected/portfolios/"),
    row(
        "POST", f"{K}^portfolios/$", CREATES, path="/api/konnected/portfolios/", body={"title": "P"}
    ),
    row("GET", f"{K}^portfolios/{PK}$", MEMBER, path="/api/konnected/portfolios/{w.portfolio.pk}/"),
    *[
        row(
            method,
            f"{K}^portfolios/{PK}$",
            OWNER_ONLY,
            path="/api/konnected/portfolios/{w.portfolio.pk}/",
            body={"title": "Taken"},
        )
        for method in ("PUT", "PATCH", "DELETE")
    ],
    row("GET", f"{K}^cocreation-projects/$", MEMBER, path="/api/konnected/cocreation-projects/"),
    row(
        "POST",
        f"{K}^cocreation-projects/$",
        CREATES,
        path="/api/konnected/cocreation-projects/",
        body={"title": "Atlas"},
    ),
    row(
        "GET",
        f"{K}^cocreation-projects/{PK}$",
        MEMBER,
        path="/api/konnected/cocreation-projects/{w.cocreation.pk}/",
    ),
    row(
        "POST",
        f"{K}^cocreation-projects/{PK}status/$",
        OWNER_ONLY,
        path="/api/konnected/cocreation-projects/{w.cocreation.pk}/status/",
        body={"status": "archived"},
    ),
    row("GET", f"{K}^contributions/$", MEMBER, path="/api/konnected/contributions/"),
    row(
        "POST",
        f"{K}^contributions/$",
        CREATES,
        path="/api/konnected/contributions/",
        body=lambda w: {"project": w.cocreation.pk, "content": "A glossary"},
    ),
    row(
        "GET",
        f"{K}^contributions/{PK}$",
        MEMBER,
        path="/api/konnected/contributions/{w.contribution.pk}/",
    ),
    row(
        "POST",
        f"{K}^contributions/{PK}review/$",
        OWNER_ONLY,
        path="/api/konnected/contributions/{w.contribution.pk}/review/",
        body={"status": "accepted"},
    ),
    row("GET", f"{K}^forum-topics/$", MEMBER, path="/api/konnected/forum-topics/"),
    row(
        "POST",
        f"{K}^forum-topics/$",
        CREATES,
        path="/api/konnected/forum-topics/",
        body={"title": "Exam tips"},
    ),
    row(
        "GET",
        f"{K}^forum-topics/{PK}$",
        MEMBER,
        path="/api/konnected/forum-topics/{w.forum_topic.pk}/",
    ),
    row("GET", f"{K}^forum-posts/$", MEMBER, path="/api/konnected/forum-posts/"),
    row(
        "POST",
        f"{K}^forum-posts/$",
        CREATES,
        path="/api/konnected/forum-posts/",
        body=lambda w: {"topic": w.forum_topic.pk, "content": "Count on me"},
    ),
    # Insights: staff only
    *[
        row("GET", f"api/insights/^{name}/$", STAFF_ONLY, path=f"/api/insights/{name}/")
        for name in ("domains", "endpoints", "smart-vote", "usage-mau", "api-perf")
    ],
]
