"""`python -m stelsel programme import FILE` and `programme analytics SLUG [--json] [--cohort
NAME]`: importing past cohorts and reading a programme's analytics on the command line."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from stelsel.trajectories import analytics
from stelsel.trajectories.importer import ProgrammeFileError, cohorts_import_file
from stelsel.trajectories.models import Cohort, Programme


class Command(BaseCommand):
    help = (
        "Support programmes. Actions: import FILE (past cohorts from a YAML file); "
        "analytics SLUG [--json] [--cohort NAME] (the programme's figures in full)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser(
            "import",
            help="validate a YAML file of past cohorts and import it whole, or nothing",
        )
        load.add_argument("file", metavar="FILE")
        figures = actions.add_parser(
            "analytics",
            help=(
                "a programme's analytics in full: the operator's tool, so no category is "
                "suppressed (the pages, exports and API hide categories of fewer than "
                f"{analytics.K} cases)"
            ),
        )
        figures.add_argument("slug", metavar="SLUG")
        figures.add_argument(
            "--json",
            action="store_true",
            help="one JSON object: cases, needs, interventions, totals, attention",
        )
        figures.add_argument("--cohort", metavar="NAME", help="only this cohort (its name)")

    @no_translations
    def handle(self, *args, **options):
        if options["action"] == "import":
            return self.load(Path(options["file"]))
        return self.figures(options["slug"], options["cohort"], as_json=options["json"])

    def load(self, path: Path) -> None:
        try:
            summary = cohorts_import_file(path=path)
        except ProgrammeFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) found; nothing was imported"
            ) from None
        created = " (created with the default catalogues)" if summary.created else ""
        self.stdout.write(f"programme: {summary.programme}{created}")
        self.stdout.write(f"cohorts: {', '.join(summary.cohorts)}")
        self.stdout.write(f"cases: {summary.cases}")
        self.stdout.write(self.style.SUCCESS(f"interventions logged: {summary.interventions}"))

    def figures(self, slug: str, cohort_name: str | None, *, as_json: bool) -> None:
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            raise CommandError(f"no programme {slug!r}")
        cohort = None
        if cohort_name is not None:
            cohort = Cohort.objects.filter(programme=programme, name=cohort_name).first()
            if cohort is None:
                names = ", ".join(
                    Cohort.objects.filter(programme=programme).values_list("name", flat=True)
                )
                raise CommandError(
                    f"no cohort {cohort_name!r} in programme {slug!r}; cohorts: {names or '-'}"
                )
        result = analytics.analyse(
            analytics.cases_from_db(programme, cohort), analytics.catalogue_of(programme)
        )
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.table(programme, cohort, result)

    def table(self, programme, cohort, result: dict) -> None:
        out = self.stdout.write
        out(f"{programme.name}" + (f", cohort {cohort.name}" if cohort else ", all cohorts"))
        out(f"cases: {result['cases']}")
        width = max([len(r["name"]) for r in result["needs"] + result["interventions"]] + [10])
        out("")
        out(f"{'need':<{width}}  cases")
        for row in result["needs"]:
            out(f"{row['name']:<{width}}  {row['cases']:>5}")
        out("")
        out(f"{'intervention':<{width}}  cases  aim  kind")
        for row in result["interventions"]:
            out(f"{row['name']:<{width}}  {row['cases']:>5}  {row['aim']:<3}  {row['kind']}")
        out("")
        out("totals: " + ", ".join(f"{k} {v}" for k, v in result["totals"].items()))
        out(
            "attention (% of points): "
            + ", ".join(f"{k} {v:.1f}" for k, v in result["attention"].items())
        )
