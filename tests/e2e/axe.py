"""The accessibility check the browser tests share: axe's serious and critical findings."""

from axe_playwright_python.sync_playwright import Axe


def serious_problems(page) -> list[str]:
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
        for v in found
        if v.get("impact") in {"serious", "critical"}
    ]
