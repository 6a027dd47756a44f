"""The demo's complaint history (issue 20): a few hundred reports over the `days` before `today`, each carried as
far through the workflow as the story's clock allows — verified, forwarded, started, answered (most on time, some
late), escalated at 80% of the deadline and again when late, rated, reopened, or closed when the reopening
window passed — with one audit entry per step at the moment it happened.

Written in bulk (one `bulk_create`, one `audit.record_events`) rather than through the services: the services
stamp the present time and send notifications, and the history must neither. The rows are the ones the services
write; the clocks come from `deadlines` (working days, holidays, each agency's own clock). Deterministic: the
same arguments (and the same rows of the arguments' agencies) give the same history.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.audit.actions import Action
from pamong.catalog.models import Service
from pamong.catalog.search import index_text
from pamong.core.workdays import add_working_days, is_working_day

from . import deadlines
from .models import Complaint, ComplaintClock
from .services import ANONYMOUS_ACTOR, REFERENCE_ALPHABET, reporter_key

S, U, K = Complaint.Status, Complaint.Urgency, Complaint.Kind
PER_DAY = 4.0  # reports a day on average (fewer at weekends)
URGENCIES = [(U.RINGAN, 30), (U.NORMATIF, 48), (U.TIDAK_BERKADAR, 15), (U.BERKADAR, 4), (U.DARURAT, 3)]
LATE_SHARE = 0.12  # answered after the deadline
REOPEN_SHARE = 0.06
RATE_SHARE = 0.6
OPEN311_CLIENT = (
    "client:demo-aplikasi-warga"  # an Open311 client's label in the story (no such client exists)
)
# What people report, by the service's kind (its slug's first word), and what any service hears.
TOPICS: dict[str, list[tuple[str, str, str]]] = {
    "bansos": [
        (K.PENGADUAN, "Bantuan PKH belum cair", "Bantuan PKH tahap ini belum cair padahal keluarga kami masih "
         "terdaftar aktif dan sudah ikut pertemuan kelompok."),
        (K.PENGADUAN, "Pendamping PKH tidak pernah datang", "Pendamping PKH tidak datang ke pertemuan kelompok di "
         "RW kami selama tiga bulan, sehingga kami tidak tahu jadwal pencairan."),
        (K.INFORMASI, "Syarat pindah data PKH ke kelurahan baru", "Kami pindah rumah ke kelurahan lain; dokumen "
         "apa saja yang perlu dibawa agar data PKH ikut pindah?"),
    ],
    "akta": [
        (K.PENGADUAN, "Akta belum terbit lewat janji", "Akta sudah diajukan lebih dari dua minggu dan belum "
         "terbit, padahal di loket dijanjikan selesai dalam tujuh hari."),
        (K.INFORMASI, "Akta untuk anak yang lahir di luar kota", "Anak kami lahir di rumah sakit di luar kota; di "
         "mana akta kelahirannya diurus dan apa syaratnya?"),
    ],
    "kartu": [
        (K.PENGADUAN, "Nama di KK salah ketik", "Nama istri saya di kartu keluarga yang baru salah ketik satu "
         "huruf, padahal formulirnya sudah benar."),
        (K.ASPIRASI, "KK cetak mandiri mohon diperluas", "Mohon layanan cetak KK mandiri juga bisa dipakai di "
         "kantor kelurahan, karena banyak warga tidak punya pencetak."),
    ],
    "nib": [
        (K.PENGADUAN, "NIB tidak bisa diunduh", "Setelah NIB terbit, berkasnya tidak bisa diunduh dari halaman "
         "permohonan dan muncul pesan galat berulang kali."),
        (K.INFORMASI, "KBLI untuk warung makan rumahan", "Kode KBLI mana yang tepat untuk warung makan rumahan "
         "yang juga menerima pesanan daring?"),
    ],
    "sktm": [
        (K.PENGADUAN, "SKTM ditolak di sekolah", "SKTM dari kelurahan ditolak pihak sekolah karena kode "
         "verifikasinya tidak terbaca; mohon dibantu."),
    ],
    "": [
        (K.PENGADUAN, "Antrean loket terlalu panjang", "Antrean di loket pelayanan sudah panjang sejak pagi dan "
         "hanya satu loket yang buka sampai siang hari."),
        (K.PENGADUAN, "Petugas loket tidak ramah", "Petugas di loket berbicara dengan nada kasar kepada warga "
         "lansia yang bertanya tentang kelengkapan berkas."),
        (K.ASPIRASI, "Mohon loket buka pada hari Sabtu", "Banyak warga bekerja pada hari kerja; mohon loket "
         "pelayanan dibuka pada Sabtu pagi setidaknya dua kali sebulan."),
        (K.INFORMASI, "Status permohonan tidak berubah", "Status permohonan saya tidak berubah sejak seminggu "
         "lalu; apakah berkas saya sudah diperiksa petugas?"),
    ],
}  # fmt: skip
ANSWERS = [
    "Berkas Bapak/Ibu sudah kami periksa ulang bersama petugas verifikasi; kekurangannya sudah dilengkapi dan "
    "prosesnya dilanjutkan mulai hari ini.",
    "Kami sudah menghubungi petugas lapangan di wilayah Bapak/Ibu; jadwal kunjungan ditetapkan pekan depan dan "
    "nomor kontak petugas kami kirim melalui pesan.",
    "Kesalahan data sudah kami perbaiki di sistem dan dokumen pengganti dapat diambil di loket tanpa biaya mulai "
    "besok pukul 08.00.",
    "Usulan Bapak/Ibu kami bahas dalam rapat pelayanan; mulai bulan depan satu loket tambahan dibuka pada jam "
    "sibuk pagi.",
]
NOTE = "Laporan Bapak/Ibu sedang kami periksa bersama unit yang menangani layanan ini."


@dataclass
class Story:
    """The history in memory: unsaved complaints and their audit entries, in story order."""

    complaints: list[Complaint]
    events: list[audit.PendingEvent]


def write_history(
    *,
    today: dt.date,
    seed: int,
    citizens: Sequence[User],
    officers: Mapping[int, Sequence[User]],
    days: int = 90,
) -> int:
    """Write the complaints of the `days` before `today` and their audit entries; returns how many complaints.
    `citizens`: who reports (each report picks one); `officers`: agency id → the officers and supervisors who
    handle its complaints (the services of these agencies are the ones reported about)."""
    story = plan_history(today=today, seed=seed, citizens=citizens, officers=officers, days=days)
    Complaint.objects.bulk_create(story.complaints, batch_size=1000)
    if story.events:
        audit.record_events(story.events)
    return len(story.complaints)


def plan_history(
    *,
    today: dt.date,
    seed: int,
    citizens: Sequence[User],
    officers: Mapping[int, Sequence[User]],
    days: int = 90,
) -> Story:
    """The history in memory (write_history's arguments), its audit entries in time order: a caller writing its
    own history can merge them into one time-ordered `record_events`."""
    story = _tell(today=today, seed=seed, citizens=citizens, officers=officers, days=days)
    story.events.sort(key=lambda event: event.at)
    return story


def _tell(*, today, seed, citizens, officers, days) -> Story:
    rng = random.Random(seed)
    services = list(
        Service.objects.filter(agency_id__in=list(officers)).select_related("agency").order_by("slug")
    )
    if not services or not citizens:
        return Story([], [])
    clocks = {(c.agency_id, c.urgency): c.amount for c in ComplaintClock.objects.all()}
    now = _at(today, 7, 0)  # the story ends this morning
    story = Story([], [])
    for offset in range(days, 0, -1):
        day = today - dt.timedelta(days=offset)
        expected = PER_DAY * (0.35 if day.weekday() >= 5 else 1.2)
        for _ in range(_poisson(rng, expected)):
            received = _at(day, rng.randint(6, 21), rng.randint(0, 59))
            service = rng.choice(services)
            handler = rng.choice(list(officers[service.agency_id]))
            _one(story, rng, received, service, rng.choice(citizens), handler, clocks, now)
    return story


def _one(story: Story, rng: random.Random, received, service, citizen, officer, clocks, now) -> None:
    kind, title, description = rng.choice(TOPICS.get(service.slug.split("-")[0], []) + TOPICS[""])
    urgency = _weighted(rng, URGENCIES)
    anonymous = rng.random() < 0.1
    open311 = not anonymous and rng.random() < 0.12
    complaint = Complaint(
        reference=f"ADU-{_local(received):%Y%m%d}-{''.join(rng.choices(REFERENCE_ALPHABET, k=8))}",
        token=f"{rng.getrandbits(128):032x}",
        kind=kind,
        channel=Complaint.Channel.OPEN311 if open311 else Complaint.Channel.WEB,
        service=service,
        agency=service.agency,
        title=title,
        description=description,
        search_terms=index_text([title, description]),
        anonymous=anonymous,
        confidential=rng.random() < 0.08,
        reporter=None if anonymous or open311 else citizen,
        hidden_reporter=f"user:{citizen.pk}" if anonymous else "",
        reporter_index=reporter_key(citizen) if anonymous else "",
        contact="Warga (melalui aplikasi)" if open311 else "",
        filed_by_client=OPEN311_CLIENT if open311 else "",
        region_code=f"3273{rng.randint(1, 30):02d}{rng.randint(1001, 1007)}",
        urgency=urgency,
        received_at=received,
    )
    _clock(complaint, clocks, start=received)
    who = ANONYMOUS_ACTOR if anonymous else (OPEN311_CLIENT if open311 else citizen)
    steps = _Steps(story, complaint, now)
    steps.event(received, who, Action.COMPLAINT_SUBMITTED, channel=complaint.channel, kind=kind,
                service=service.slug, agency=service.agency.slug, urgency=urgency, anonymous=anonymous,
                confidential=complaint.confidential, due_at=complaint.due_at.isoformat())  # fmt: skip
    _handle(steps, rng, officer, clocks, who)
    story.complaints.append(complaint)


class _Steps:
    """One report's steps: each happens only if its moment is before the story's `now`."""

    def __init__(self, story: Story, complaint: Complaint, now: dt.datetime) -> None:
        self.story, self.complaint, self.now = story, complaint, now

    def event(self, at: dt.datetime, actor: Any, action: Action, **data: Any) -> None:
        self.story.events.append(
            audit.PendingEvent(
                at=at,
                actor=actor,
                action=action,
                subject=f"complaint:{self.complaint.reference}",
                data={"status": self.complaint.status, **data},
            )
        )

    def escalations(self, until: dt.datetime) -> None:
        """Level 1 at 80% of the deadline, level 2 once it passed, for whatever happened before `until`."""
        c = self.complaint
        for level, moment in ((1, c.escalate_at), (2, c.due_at)):
            if c.escalation_level < level and moment <= min(until, self.now):
                c.escalation_level = level
                self.event(moment, None, Action.COMPLAINT_ESCALATED, level=level, due_at=c.due_at.isoformat())


def _handle(steps: _Steps, rng: random.Random, officer: User, clocks, reporter_actor: Any) -> None:
    c = steps.complaint
    if c.urgency == U.DARURAT:  # the officer on duty acts within the hour
        verified, forwarded, started = (c.received_at + dt.timedelta(minutes=m) for m in (15, 25, 40))
    else:
        verified = _office_moment(rng, c.received_at, rng.choice([0, 0, 1, 1, 2]))
        forwarded = _office_moment(rng, verified, rng.choice([0, 0, 1]))
        started = _office_moment(rng, forwarded, rng.choice([0, 1, 1, 2]))
    answered = _answer_moment(rng, c, started)
    for moment, status, action, data in (
        (verified, S.VERIFIED, Action.COMPLAINT_VERIFIED, {"urgency": c.urgency, "kind": c.kind}),
        (forwarded, S.FORWARDED, Action.COMPLAINT_FORWARDED, {"officer": f"user:{officer.pk}"}),
        (started, S.IN_PROGRESS, Action.COMPLAINT_STARTED, {"officer": f"user:{officer.pk}"}),
    ):
        steps.escalations(moment)
        if moment > steps.now:
            return
        c.status = status
        if status == S.FORWARDED:
            c.assigned_to = officer
        if status == S.IN_PROGRESS:
            c.first_response_at = moment
        steps.event(moment, officer, action, **data)
    _answer(steps, rng, officer, answered, clocks, reporter_actor)


def _answer(steps: _Steps, rng, officer, answered, clocks, reporter_actor, *, again: bool = False) -> None:
    c = steps.complaint
    steps.escalations(answered)
    if answered > steps.now:
        return
    c.status, c.answer, c.answered_at = S.ANSWERED, rng.choice(ANSWERS), answered
    c.answer_days = deadlines.working_days_taken(c.received_at, answered)
    c.reopen_until = deadlines.reopen_until(answered)
    steps.event(answered, officer, Action.COMPLAINT_ANSWERED, on_time=answered <= c.due_at,
                working_days=c.answer_days)  # fmt: skip
    after = _office_moment(rng, answered, rng.randint(1, 6))
    roll = rng.random()
    if roll < REOPEN_SHARE and not again and after <= steps.now:
        c.status, c.reopened = S.IN_PROGRESS, c.reopened + 1
        c.answered_at = c.answer_days = None
        _clock(c, clocks, start=after)
        steps.event(after, reporter_actor, Action.COMPLAINT_REOPENED, due_at=c.due_at.isoformat())
        _answer(steps, rng, officer, _answer_moment(rng, c, after), clocks, reporter_actor, again=True)
    elif roll < REOPEN_SHARE + RATE_SHARE and after <= steps.now:
        c.status, c.rating, c.closed_at = (
            S.CLOSED,
            _weighted(rng, [(5, 4), (4, 4), (3, 2), (2, 1), (1, 1)]),
            after,
        )
        steps.event(after, reporter_actor, Action.COMPLAINT_RATED, rating=c.rating, comment_chars=0)
    else:
        closed = _at(c.reopen_until + dt.timedelta(days=1), 1, 0)  # the nightly job, once the window passed
        if closed <= steps.now:
            c.status, c.closed_at = S.CLOSED, closed
            steps.event(closed, None, Action.COMPLAINT_CLOSED, reason="reopen_window_passed")


def _answer_moment(rng: random.Random, c: Complaint, start: dt.datetime) -> dt.datetime:
    """Most answers come before the deadline; LATE_SHARE of them one to five working days after it."""
    if rng.random() < LATE_SHARE or start >= c.due_at:
        return _office_moment(rng, max(c.due_at, start), rng.randint(1, 5))
    if c.urgency == U.DARURAT:
        return start + (c.due_at - start) * rng.uniform(0.2, 0.7)
    latest = max(start, c.due_at - dt.timedelta(days=1))
    answered = start + (latest - start) * rng.uniform(0.1, 0.95)
    return min(max(answered, start + dt.timedelta(hours=1)), c.due_at)


def _clock(complaint: Complaint, clocks: Mapping, *, start: dt.datetime) -> None:
    """deadlines.set_clocks with the agencies' clocks read once (set_clocks reads one row per report)."""
    amount = clocks.get((complaint.agency_id, complaint.urgency), deadlines.DEFAULTS[complaint.urgency])
    complaint.forward_due = deadlines.end_of_working_day(complaint.received_at, deadlines.FORWARD_DAYS)
    complaint.response_due = deadlines.end_of_working_day(complaint.received_at, deadlines.RESPONSE_DAYS)
    complaint.due_at = deadlines.answer_due(start, complaint.urgency, amount)
    complaint.escalate_at = deadlines.escalation_point(start, complaint.due_at, complaint.urgency)
    complaint.escalation_level = 0


def _office_moment(rng: random.Random, after: dt.datetime, working_days: int) -> dt.datetime:
    """A moment in office hours (08–15 WIB) `working_days` working days after `after`'s day, never before it."""
    day = _local(after).date()
    day = add_working_days(day, working_days) if working_days or not is_working_day(day) else day
    moment = _at(day, rng.randint(8, 15), rng.randint(0, 59))
    if moment <= after:
        moment = _at(add_working_days(_local(after).date(), 1), rng.randint(8, 15), rng.randint(0, 59))
    return moment


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: a handful of draws at these means; random has no Poisson of its own.
    limit, k, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=deadlines.JAKARTA).astimezone(
        dt.UTC
    )


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(deadlines.JAKARTA)
