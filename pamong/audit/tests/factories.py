from pamong.audit import services
from pamong.audit.actions import Action


def append_events(count: int, *, subject: str = "test:subject") -> None:
    for n in range(count):
        services.record_event(
            actor="system:test", action=Action.DECISION_RECORDED, subject=subject, data={"n": n}
        )
