"""The demo branch: families in three time zones with arrears relative to today, cadres, payments, personas.

`seed_demo` is deterministic (one seeded random.Random), so every laptop gets the same people; only the
months are placed relative to `today`, so "10 months behind" stays true whenever the demo is loaded.
`demo_personas` is the short list the web chat offers: whom to chat as, and what to try with each (in
Indonesian, then English).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.demo_history import add_history
from ingest.demo_names import CHANNELS, JAYAPURA, MOBILE_PREFIXES, REGIONS, SAMARINDA, SURAKARTA, DemoRegion
from models.ledger import rate_table
from models.people import Assignment, Cadre, Family, Member, Payment
from rules.months import add_months, month_of, months_between
from rules.programme import DEFAULT_RULES
from rules.regions import region_name, zone_for_region
from rules.segments import own_dues_until_on_import, pays_own_dues

SEED = 20_250_602
MARKER_CADRE = "KDR-SKA-01"  # present exactly when the demo is loaded


@dataclass(frozen=True)
class Persona:
    """Someone to chat as in the web simulator."""

    role: str  # "member" or "cadre"
    name: str
    phone: str  # E.164
    card_number: str | None
    birth_date: date | None
    note: str  # what to try, in Indonesian (shown first)
    note_en: str  # the same in English


# ------------------------------------------------------------------------------------------------ personas

# The families the personas belong to are written out by hand, so their notes stay true; the rest is random.


@dataclass(frozen=True)
class Person:
    """One demo family member to create: name, sex, birth date, relation, phone."""

    name: str
    female: bool
    born: date
    relation: str
    phone: str | None = None


@dataclass(frozen=True)
class FixedFamily:
    """A demo persona's family, fixed so the web chat can show what to type and what comes back."""

    key: str
    region: DemoRegion
    klass: int
    segment: str
    months_behind: int  # 0 = paid up; negative = paid ahead
    people: tuple[Person, ...]
    cadre: str | None
    note: tuple[str, str] = ("", "")  # the persona's note (Indonesian, English) when the head is a persona


SHARED_PHONE = "+6281329004005"
FIXED_FAMILIES = (
    FixedFamily("rehab", SURAKARTA, 3, "PBPU", 10, (
        Person("Budi Santoso", False, date(1979, 8, 17), "head", "+6281229001001"),
        Person("Sri Lestari", True, date(1982, 3, 9), "spouse"),
        Person("Dimas Santoso", False, date(2008, 11, 2), "child"),
    ), "KDR-SKA-01", ("Kelas III, keluarga 3 orang di Surakarta (WIB), menunggak 10 bulan: coba CEK, lalu REHAB "
                      "dan pilih cicilan; setelah mendaftar, CEK dan BAYAR menunjukkan cicilan berikutnya",
                      "Kelas III, family of 3 in Surakarta (WIB), 10 months behind: try CEK, then REHAB and pick a "
                      "plan; once enrolled, CEK and BAYAR show the next instalment")),
    FixedFamily("paid", SAMARINDA, 2, "PBPU", 0, (
        Person("Ratna Dewi Anwar", True, date(1986, 5, 21), "head", "+6281350002002"),
        Person("Fajar Anwar", False, date(1984, 1, 30), "spouse"),
        Person("Aisyah Anwar", True, date(2012, 7, 7), "child"),
        Person("Rizky Anwar", False, date(2016, 9, 14), "child"),
    ), "KDR-SMD-01", ("Kelas II, keluarga 4 orang di Samarinda (WITA), iuran lunas: CEK menunjukkan iuran "
                      "berikutnya dan tanggalnya; coba BAYAR untuk nomor VA keluarga",
                      "Kelas II, family of 4 in Samarinda (WITA), paid up: CEK shows the next dues and their date; "
                      "try BAYAR for the family's virtual account")),
    FixedFamily("fifty", JAYAPURA, 3, "PBPU", 50, (
        Person("Yohanes Kogoya", False, date(1970, 4, 12), "head", "+6282199003003"),
        Person("Martha Wenda", True, date(1974, 10, 5), "spouse"),
        Person("Yosias Kogoya", False, date(1999, 2, 18), "child"),
        Person("Regina Kogoya", True, date(2003, 6, 25), "child"),
        Person("Ester Kogoya", True, date(2007, 12, 1), "child"),
    ), "KDR-JPR-01", ("Kelas III, keluarga 5 orang di Jayapura (WIT), menunggak 50 bulan: CEK hanya menagih 24 "
                      "bulan, dan REHAB menawarkan cicilan atas 24 bulan itu",
                      "Kelas III, family of 5 in Jayapura (WIT), 50 months behind: CEK bills only 24 months, and "
                      "REHAB offers instalments on those 24")),
    FixedFamily("ppu", SURAKARTA, 1, "PPU", 6, (
        Person("Agus Prasetyo", False, date(1988, 2, 3), "head", "+6285729004004"),
        Person("Indah Permata", True, date(1990, 8, 28), "spouse"),
    ), "KDR-SKA-02", ("Pekerja penerima upah (PPU) Kelas I, dulu peserta mandiri, dengan tunggakan lama 6 bulan: "
                      "CEK menunjukkan kartu aktif; REHAB 2.0 menawarkan cicilan sampai 36 kali",
                      "Kelas I wage earner (PPU), once self-paying, with 6 months of old arrears: CEK shows an "
                      "active card; REHAB 2.0 offers up to 36 instalments")),
    FixedFamily("shared", SURAKARTA, 3, "PBPU", 7, (
        Person("Suparmi Wibowo", True, date(1975, 1, 19), "head", SHARED_PHONE),
        Person("Heru Wibowo", False, date(1972, 9, 9), "spouse"),
        Person("Tri Wulandari", True, date(2001, 4, 16), "child"),
        Person("Bayu Wibowo", False, date(2005, 10, 10), "child"),
    ), "KDR-SKA-01"),  # note written below: it needs the mother's card number
    FixedFamily("mother", SURAKARTA, 3, "PBPU", 14, (
        Person("Painem", True, date(1948, 6, 6), "head", SHARED_PHONE),
    ), "KDR-SKA-01"),
    FixedFamily("short", SAMARINDA, 3, "BP", 2, (
        Person("Muhammad Syahrul", False, date(1958, 12, 24), "head", "+6285250006006"),
        Person("Halimah", True, date(1962, 3, 3), "spouse"),
    ), "KDR-SMD-01", ("Kelas III bukan pekerja (BP) di Samarinda (WITA), menunggak 2 bulan: terlalu sedikit untuk "
                      "REHAB; coba JANJI dengan tanggal, lalu STOP dan MULAI",
                      "Kelas III non-worker (BP) in Samarinda (WITA), 2 months behind: too few months for REHAB; "
                      "try JANJI with a date, then STOP and MULAI")),
)

NO_NOTE = ("", "")
CADRES = (  # code, name, phone, telegram username, region, supervisor, families to assign, persona note (id, en)
    ("KDR-SKA-00", "Endang Lestari", "+6281229000100", "endang_spv_ska", "3372", None, 30,
     ("Supervisor Kader JKN di Surakarta (membina KDR-SKA-01 dan -02): REKAP TIM menampilkan capaian minggu "
      "tiap kader, siapa yang belum lapor, dan setoran yang belum terkonfirmasi pembayaran; peserta bisa "
      "mengeceknya dengan CEK KADER KDR-SKA-00",
      "Supervisor Kader JKN in Surakarta (supervises KDR-SKA-01 and -02): REKAP TIM shows each cadre's week "
      "against targets, who has not reported and collections no payment has confirmed yet; members can check "
      "her with CEK KADER KDR-SKA-00")),
    # Sri's note is written in demo_personas: it names Budi's card number
    ("KDR-SKA-01", "Sri Wahyuni", "+6281229000101", "sri_wahyuni_kader", "3372", "KDR-SKA-00", 55, NO_NOTE),
    ("KDR-SKA-02", "Bambang Sutrisno", "+6285729000102", "bambang_kader_solo", "3372", "KDR-SKA-00", 50,
     ("Kader di Surakarta: coba LAPOR dengan kartu keluarga binaan Sri (ditolak: bukan daftarnya), TUGAS untuk "
      "daftarnya sendiri, dan TUGAS OFF untuk menghentikan kiriman jam 07.00",
      "Cadre in Surakarta: try LAPOR with a card of Sri's families (refused: not on his list), TUGAS for his "
      "own list, and TUGAS OFF to stop the 07:00 list")),
    ("KDR-SMD-01", "Nurhayati Hamzah", "+6281350000201", "nurhayati_kader", "6472", None, 50, NO_NOTE),
    ("KDR-JPR-01", "Markus Rumbiak", "+6282199000301", "markus_kader_jpr", "9171", None, 40,
     ("Kader di Jayapura (WIT) untuk keluarga Yohanes Kogoya: menerima keluhan dan janji bayar mereka; TUGAS dan "
      "REKAP mengikuti zona waktunya sendiri",
      "Cadre in Jayapura (WIT) with Yohanes Kogoya's family: receives its complaints and promises to pay; "
      "TUGAS and REKAP follow his own time zone")),
)
RANDOM_FAMILIES = {"3372": 140, "6472": 58, "9171": 44}  # besides the fixed ones
BRANCHES = {"3372": "Kantor Cabang Surakarta", "6472": "Kantor Cabang Samarinda", "9171": "Kantor Cabang Jayapura"}


# ------------------------------------------------------------------------------------------------ building


class DemoBuilder:
    """Draws people, numbers and arrears from one seeded generator, never repeating an identifier."""

    def __init__(self, today: date) -> None:
        self.random = random.Random(SEED)
        self.today = today
        # The latest month whose due date has passed: a family 0 months behind has paid through it.
        this_month = month_of(today)
        self.last_due = this_month if today.day > DEFAULT_RULES.due_day else add_months(this_month, -1)
        self.used: set[str] = set()
        self.serials: dict[str, int] = {}

    def unique(self, make: Callable[[], str]) -> str:
        """A value from `make` that has not been handed out before."""
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def card_number(self) -> str:
        """A new 13-digit card number."""
        return self.unique(lambda: "0001" + f"{self.random.randrange(10**9):09d}")

    def nik(self, district: str, born: date, female: bool) -> str:
        """Province, regency and district, then the birth date (women: day + 40), then a serial."""
        stem = f"{district}{born.day + (40 if female else 0):02d}{born.month:02d}{born.year % 100:02d}"
        serial = self.serials.get(stem, 0) + 1
        self.serials[stem] = serial
        return f"{stem}{serial:04d}"

    def family_number(self, district: str) -> str:
        """The district, the day the KK was issued (DDMMYY), a serial."""
        issued = date(2010, 1, 1) + timedelta(days=self.random.randrange(5000))
        return self.unique(lambda: f"{district}{issued:%d%m%y}{self.random.randrange(1, 10_000):04d}")

    def phone(self) -> str:
        """A new Indonesian mobile number, E.164."""
        return self.unique(lambda: "+628" + self.random.choice(MOBILE_PREFIXES)[1:] +
                           f"{self.random.randrange(10**7, 10**8):08d}")

    def paid_through(self, months_behind: int, segment: str = "PBPU") -> date:
        """A self-paying family `months_behind` on the demo's day; a family that moved to a segment others pay
        (PPU, PBI) that many months behind on the last month of its own dues (rules.segments)."""
        if pays_own_dues(segment):
            return add_months(self.last_due, -months_behind)
        return add_months(self.own_dues_until(segment) or self.last_due, -months_behind)

    def own_dues_until(self, segment: str) -> date | None:
        """As the members import records it on the demo's day."""
        return own_dues_until_on_import(segment, None, self.today)

    def born(self, youngest: int, oldest: int) -> date:
        """A birth date between `oldest` and `youngest` years before the demo's day."""
        start = date(self.today.year - oldest, 1, 1)
        end = date(self.today.year - youngest, 12, 31)
        day = start + timedelta(days=self.random.randrange((end - start).days))
        return min(day, self.today)

    def random_people(self, region: DemoRegion, size: int) -> list[Person]:
        """A random family of `size` people with names from the region."""
        pick = self.random.choice
        head_female = self.random.random() < 0.15  # widows and single mothers head some families
        surname = pick(region.surnames)

        def name(female: bool, family_name: bool = True) -> str:
            given = pick(region.female if female else region.male)
            if region.second_female:  # Javanese: two given names, no inherited surname
                return f"{given} {pick(region.second_female if female else region.surnames)}"
            return f"{given} {surname}" if family_name else f"{given} {pick(region.surnames)}"

        head_born = self.born(25, 68)
        people = [Person(name(head_female), head_female, head_born, "head")]
        if size >= 2 and not head_female:
            spouse_born = min(head_born + timedelta(days=self.random.randrange(-800, 2500)), self.today)
            people.append(Person(name(True, family_name=False), True, spouse_born, "spouse"))
        while len(people) < size:
            if len(people) == 5 and size == 6:  # a grandparent living in the household
                female = self.random.random() < 0.7
                people.append(Person(name(female, family_name=False), female, self.born(68, 88), "other"))
                continue
            female = self.random.random() < 0.5
            first_child = head_born + timedelta(days=365 * self.random.randint(20, 32))
            born = first_child + timedelta(days=self.random.randrange(0, 365 * 14))
            if born > self.today:
                born = self.today - timedelta(days=self.random.randrange(30, 1500))
            people.append(Person(name(female), female, born, "child"))
        return people

    def random_family(self, region: DemoRegion) -> tuple[int, str, int, list[Person]]:
        """(class, segment, months behind, people) with a branch's usual mix."""
        size = self.random.choices((1, 2, 3, 4, 5, 6), weights=(10, 15, 25, 25, 15, 10))[0]
        klass = self.random.choices((3, 2, 1), weights=(70, 20, 10))[0]
        segment = self.random.choices(("PBPU", "BP", "PPU", "PBI"), weights=(75, 12, 8, 5))[0]
        if segment in ("PPU", "PBI"):  # employer or government pays
            months = 0
        else:
            band = self.random.choices(("ahead", "paid", "few", "rehab", "ten", "long"),
                                       weights=(8, 17, 15, 37, 6, 17))[0]
            months = {"ahead": -self.random.randint(1, 2), "paid": 0, "few": self.random.randint(1, 3),
                      "rehab": self.random.randint(4, 24), "ten": 10, "long": self.random.randint(25, 40)}[band]
        people = self.random_people(region, size)
        if self.random.random() < 0.85:
            people[0] = Person(people[0].name, people[0].female, people[0].born, "head", self.phone())
        if len(people) > 1 and people[1].relation == "spouse" and self.random.random() < 0.3:
            p = people[1]
            people[1] = Person(p.name, p.female, p.born, p.relation, self.phone())
        return klass, segment, months, people


def seed_demo(session: Session, today: date) -> str:
    """Load the demo branch into `session` (the caller commits); a one-line summary. Does nothing when the
    demo is already loaded."""
    if session.scalar(select(Cadre.id).where(Cadre.code == MARKER_CADRE)) is not None:
        return "the demo branch is already loaded; nothing changed"
    builder = DemoBuilder(today)
    builder.used.update(person.phone for fixed in FIXED_FAMILIES for person in fixed.people if person.phone)
    builder.used.update(phone for _, _, phone, *_ in CADRES)
    rates = rate_table(session)
    families: list[tuple[Family, str | None]] = []  # with the cadre code to assign it to, if fixed

    def add_family(region: DemoRegion, klass: int, segment: str, months: int, people: list[Person],
                   cadre: str | None) -> Family:
        district = builder.random.choice(region.districts)
        paid_through = builder.paid_through(months, segment)
        own_dues_until = builder.own_dues_until(segment)
        family = Family(number=builder.family_number(district), region_code=region.code, credit=0)
        for person in people:
            family.members.append(Member(
                card_number=builder.card_number(), nik=builder.nik(district, person.born, person.female),
                name=person.name, birth_date=person.born, relation=person.relation, segment=segment,
                class_=klass, phone=person.phone, region_code=region.code, paid_through=paid_through,
                own_dues_until=own_dues_until))
        session.add(family)
        families.append((family, cadre))
        return family

    for fixed in FIXED_FAMILIES:
        add_family(fixed.region, fixed.klass, fixed.segment, fixed.months_behind, list(fixed.people), fixed.cadre)
    for region in REGIONS:
        for _ in range(RANDOM_FAMILIES[region.code]):
            add_family(region, *builder.random_family(region), cadre=None)
    session.flush()

    cadres: dict[str, Cadre] = {}
    for code, name, phone, username, region_code, supervisor, _, _ in CADRES:
        cadre = Cadre(code=code, name=name, phone=phone, telegram_username=username,
                      branch=BRANCHES[region_code],
                      region_code=region_code, supervisor=cadres.get(supervisor or ""))
        cadres[code] = cadre
        session.add(cadre)
    session.flush()

    # Each cadre gets the fixed families named for them, then random families of their region up to their
    # number; a few families stay unassigned, as in a real branch.
    taken: set[int] = set()
    for code, _, _, _, region_code, _, wanted, _ in CADRES:
        mine = [family for family, cadre in families if cadre == code]
        free = [family for family, cadre in families
                if cadre is None and family.region_code == region_code and family.id not in taken]
        mine += free[: max(0, wanted - len(mine))]
        for family in mine:
            session.add(Assignment(family_id=family.id, cadre_id=cadres[code].id))
            taken.add(family.id)

    # Payments: paid-up families paid their last month or two (paying ahead pays more at once), and a few
    # families in arrears paid a little that makes no whole family-month, so it is kept as credit.
    payments = 0
    for index, (family, fixed_cadre) in enumerate(families):
        paid_through = family.members[0].paid_through
        monthly = sum(rates.rate(member.class_, builder.last_due) for member in family.members)
        if family.members[0].segment in ("PPU", "PBI"):
            continue
        if paid_through >= builder.last_due:
            ahead = months_between(builder.last_due, paid_through)
            for back in range(builder.random.randint(1, 2)):
                amount = monthly * (1 + ahead if back == 0 else 1)
                _pay(session, builder, family, amount, add_months(builder.last_due, -back), f"DEMO-{index:04d}-{back}")
                payments += 1
        elif fixed_cadre is None and builder.random.random() < 0.12:
            part = builder.random.choice((10_000, 20_000, 25_000))
            if part < monthly:
                family.credit = part
                _pay(session, builder, family, part, add_months(builder.last_due, -1), f"DEMO-{index:04d}-P")
                payments += 1
    add_history(session, today, rates, cadres.values(), {family.id for family, cadre in families if cadre})
    members = sum(len(family.members) for family, _ in families)
    names = ", ".join(region_name(region.code) or region.code for region in REGIONS)
    return (f"{len(families)} families ({members} members) in {names}; {len(cadres)} cadres with "
            f"{len(taken)} families assigned; {payments} payments")


def _pay(session: Session, builder: DemoBuilder, family: Family, amount: int, month: date, reference: str) -> None:
    """One payment made by the due day of `month` (never after today), at a local time of the family's region."""
    day = builder.random.randint(1, DEFAULT_RULES.due_day)
    local = datetime.combine(month.replace(day=day), time(builder.random.randint(7, 20), builder.random.choice(
        (0, 15, 30, 45))), tzinfo=zone_for_region(family.region_code))
    session.add(Payment(reference=reference, family_id=family.id, amount=amount, paid_at=local.astimezone(UTC),
                        channel=builder.random.choice(CHANNELS)))


def demo_personas(session: Session) -> list[Persona]:
    """The demo's members and cadres to chat as; empty when the demo is not loaded."""
    personas: list[Persona] = []
    mother = session.scalars(select(Member).where(
        Member.relation == "head", Member.phone == SHARED_PHONE, Member.name == "Painem")).first()
    for fixed in FIXED_FAMILIES:
        head = fixed.people[0]
        member = session.scalars(select(Member).where(
            Member.relation == "head", Member.phone == head.phone, Member.name == head.name)).first()
        if member is None:
            continue
        note, note_en = fixed.note
        if fixed.key == "shared" and mother is not None:
            card, born = mother.card_number, f"{mother.birth_date:%d-%m-%Y}"
            note = (f"Kelas III, keluarga 4 orang di Surakarta, menunggak 7 bulan; HP ini juga milik ibunya, Painem "
                    f"(kartu {card}, lahir {born}, menunggak 14 bulan): setelah CEK, ketik TAMBAH untuk menambah "
                    "keluarga itu")
            note_en = (f"Kelas III, family of 4 in Surakarta, 7 months behind; this phone is also her mother "
                       f"Painem's (card {card}, born {born}, 14 months behind): after CEK, type TAMBAH to add that "
                       "family too")
        if not note:
            continue
        personas.append(Persona("member", member.name, head.phone or "", member.card_number, member.birth_date,
                                note, note_en))
    if not personas:
        return []
    cadres = {cadre.code: cadre for cadre in session.scalars(select(Cadre).where(
        Cadre.code.in_([code for code, *_ in CADRES])))}
    budi = next((p for p in personas if p.name == "Budi Santoso"), None)
    for code, _, _, _, _, _, _, (note, note_en) in CADRES:
        cadre = cadres.get(code)
        if code == MARKER_CADRE and budi is not None and budi.card_number:
            card = budi.card_number
            note = (f"Kader di Surakarta; Budi Santoso dan Suparmi ada di daftarnya: TUGAS (daftar hari ini), lalu "
                    f"LAPOR {card} BAYAR 150rb (buka dulu chat Budi: tanda terimanya masuk ke sana), LAPOR saja "
                    "untuk dipandu dengan tombol, UBAH BAYAR 200rb atau BATAL, REKAP untuk capaian; setelah Budi "
                    "mengirim KELUHAN, jawab dengan JAWAB <tiket> <pesan> atau TUTUP <tiket>")
            note_en = (f"Cadre in Surakarta with Budi Santoso and Suparmi on her list: TUGAS (today's list), then "
                       f"LAPOR {card} BAYAR 150rb (open Budi's chat first: it gets the receipt), LAPOR alone to be "
                       "guided with buttons, UBAH BAYAR 200rb or BATAL, REKAP for progress; after Budi sends "
                       "KELUHAN, answer with JAWAB <ticket> <message> or TUTUP <ticket>")
        if cadre is not None and note and cadre.phone:
            personas.append(Persona("cadre", f"{cadre.name} ({code})", cadre.phone, None, None, note, note_en))
    return personas
