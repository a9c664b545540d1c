"""Recognize actors, places and dates in a sentence, using the knowledge base.

Per sentence: scan tokens for known names (clitic-aware, longest match), then compose
adjacent pieces into actor phrases:

* agent word + country word: «الجيش الإسرائيلي» → ISR MIL, «رئيس وزراء أرمينيا» → ARM GOV
* apposition: «الرئيس الروسي، فلاديمير بوتين» is one actor (the person's dated role wins)
* counterpart / side words: «نظيره الروسي» → RUS (sector of the other party),
  «الجانب الروسي» → RUS GOV
* «الطرفان» / «الجانبان» → both sides of the article's last reciprocal event (resolved later)
* coordination «X وY» is recorded on the actors for reciprocal and multi-target events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from raqib.kb.base import DEFINITENESS_KINDS, Hit, KnowledgeBase
from raqib.kb.names import token_keys
from raqib.model import Actor, Place, Sentence

LOCATIVES = {"في", "قرب", "بالقرب", "داخل", "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي",
             "شرقي", "غربي", "وسط", "مدينه", "بلده", "قريه", "محافظه", "منطقه", "اقليم",
             "ولايه", "مخيم", "حي", "ضواحي", "اطراف", "ريف", "in", "near", "at"}
# Prepositions that can stand before an actor (token form) and the clitic letters that can.
PREPS = {"مع", "علي", "ضد", "الي", "بين", "عن", "من", "في", "لدي", "تجاه", "نحو", "بحق",
         "حيال", "with", "against", "on", "to", "at", "from", "by", "for"}
# Title words that may stand between a preposition and the actor: «مع القائم بأعمال رئيس…»
FILLERS = {"قايم", "باعمال", "اعمال", "سيد", "سيده", "نايب", "مساعد", "كبير", "معالي",
           "فخامه", "سمو", "جلاله"}
QUANTITIES = {"مئات", "الاف", "آلاف", "عشرات", "ملايين", "الالاف", "الاف", "الوف", "مليون",
              "الف", "عدد", "العديد", "مئات الالاف", "hundreds", "thousands", "dozens"}
COUNTERPART = {"نظير", "نظيره", "نظيرته", "نظيريه", "نظيرها", "نظراء", "نظراءه", "نظرائه",
               "counterpart"}
SIDE = {"جانب"}
BOTH = {"طرفان", "طرفين", "جانبان", "جانبين", "بلدان", "بلدين", "زعيمان", "زعيمين",
        "وزيران", "وزيرين", "رئيسان", "رئيسين", "both sides", "two sides"}


@dataclass(slots=True)
class ActorMention:
    i: int  # first token
    j: int  # last token + 1
    actor: Actor
    text_span: tuple[int, int]
    prep: str = ""  # preposition governing the mention ("" = none)
    bare_state: bool = False  # a country/capital standing alone (GOV, or MIL with force)
    both: bool = False  # «الطرفان»: resolved to the last reciprocal dyad
    coord_next: "ActorMention | None" = None
    coord_prev: "ActorMention | None" = None
    also_place: Place | None = None
    rule: str = ""


@dataclass(slots=True)
class PlaceMention:
    i: int
    j: int
    place: Place
    text_span: tuple[int, int]
    locative: bool


@dataclass(slots=True)
class SentenceAnalysis:
    sentence: Sentence
    keys: list[str]
    norms: list[str]
    actors: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    # country words standing alone: (i, j, country, sector) — «غارة إسرائيلية»
    adjectives: list[tuple[int, int, str, str]] = field(default_factory=list)


class Recognizer:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb

    # ------------------------------------------------------------------ helpers
    def _person_actor(self, pid: str, day: dt.date | None) -> Actor:
        person = self.kb.persons[pid]
        role = person.role_on(day)
        if role is None and day is not None and person.roles:
            role, gap = person.nearest_role(day)
            if gap > 366:
                return Actor(role.country, "", person.name_en, pid)
        if role is None:
            return Actor("", "", person.name_en, pid)
        return Actor(role.country, role.sector, person.name_en, pid)

    def _hit_actor(self, hit: Hit, day: dt.date | None) -> tuple[Actor | None, bool]:
        kb = self.kb
        if hit.kind in ("state", "capital", "metonym"):
            st = kb.states.get(hit.id)
            return Actor(hit.id, "GOV", st.name_en if st else hit.id, hit.id), hit.kind != "metonym"
        if hit.kind == "org":
            o = kb.orgs[hit.id]
            return Actor(o.code, o.sector, o.name_en, o.id), False
        if hit.kind == "group":
            g = kb.groups[hit.id]
            return Actor(g.country, g.sector, g.name_en, g.id), False
        if hit.kind == "person":
            return self._person_actor(hit.id, day), False
        return None, False

    def _place_of(self, hit: Hit) -> Place | None:
        kb = self.kb
        if hit.kind == "place":
            p = kb.places[hit.id]
            return Place(p.name_en, p.country, p.lat, p.lon, p.id)
        if hit.kind in ("state", "capital"):
            st = kb.states.get(hit.id)
            if hit.kind == "state" and st:
                return Place(st.name_en, st.iso3, st.lat, st.lon, st.iso3)
            cap = self._capital_place(hit.id)
            if cap:
                return cap
        return None

    def _capital_place(self, iso: str) -> Place | None:
        """The place of a country's capital: the most populous gazetteer place that the
        capital's name points to (built once per process)."""
        caps = getattr(self, "_caps", None)
        if caps is None:
            caps = self._caps = {}
            for key, hits in self.kb.names.items():
                capital_of = {h.id for h in hits if h.kind == "capital"}
                if not capital_of:
                    continue
                for h in hits:
                    if h.kind != "place":
                        continue
                    p = self.kb.places[h.id]
                    if p.country in capital_of and (p.country not in caps or
                                                    p.population > caps[p.country].population):
                        caps[p.country] = p
        p = caps.get(iso)
        return Place(p.name_en, iso, p.lat, p.lon, p.id) if p else None

    def _best_actor_hit(self, hits: list[Hit], day: dt.date | None) -> Hit:
        """Persons first (the one holding a role on the day when a name is shared), then
        groups, organizations, seats of power, states, capitals."""
        order = ("person", "group", "org", "metonym", "state", "capital")

        def rank(h: Hit) -> tuple[int, int]:
            active = 0
            if h.kind == "person":
                active = 0 if self.kb.persons[h.id].role_on(day) else 1
            return order.index(h.kind), active
        return min((h for h in hits if h.kind in order), key=rank)

    # ------------------------------------------------------------------ main
    def analyse(self, sent: Sentence, day: dt.date | None) -> SentenceAnalysis:
        toks = sent.tokens
        norms = [t.norm if t.kind in ("word", "latin") else "" for t in toks]
        keys = [token_keys(n)[0][1] if n else t.text for n, t in zip(norms, toks)]
        cands = [token_keys(n) if n else ((0, t.text),) for n, t in zip(norms, toks)]
        an = SentenceAnalysis(sent, keys, norms)
        raw: list[tuple[int, int, int, list[Hit]]] = []
        trie = self.kb.trie
        i, n = 0, len(toks)
        while i < n:
            if not norms[i]:
                i += 1
                continue
            m = trie.match_at(cands, keys, i)
            if m is None:
                i += 1
                continue
            length, pre, payloads = m
            hits = [h for p in payloads for h in p]
            if any(h.kind in DEFINITENESS_KINDS for h in hits):
                definite = _is_definite(norms[i], pre)
                hits = [h for h in hits if h.kind not in DEFINITENESS_KINDS or
                        (h.form == "al") == definite]
                if length == 1 and (keys[i],) in self.kb.common_word_names and not (
                        raw and raw[-1][1] == i and
                        any(h.kind in ("agent", "adj") for h in raw[-1][3])):
                    hits = [h for h in hits if h.kind != "person"]
                if not hits:
                    i += 1
                    continue
            raw.append((i, i + length, pre, hits))
            i += length
        self._compose(an, raw, day)
        return an

    def _span(self, sent: Sentence, i: int, j: int, pre: int = 0) -> tuple[int, int]:
        toks = sent.tokens
        start = toks[i].span[0]
        if pre:
            # keep the article in the quoted words («والجيش» → «الجيش»; «للرئيس» stays
            # whole, ل and ال being fused); only the letters before the article are cut
            norm = toks[i].norm
            keep = 2 if norm[:pre].endswith(("ال", "لل")) else 0
            start = _skip_chars(toks[i].text, pre - keep) + start
        return (start, toks[j - 1].span[1])

    def _prep_before(self, an: SentenceAnalysis, i: int, pre: int) -> str:
        if pre:
            clitic = an.norms[i][:pre].lstrip("وف")
            if clitic.endswith("ال"):
                clitic = clitic[:-2]
            if clitic in ("ل", "ب", "ك"):
                return clitic
            if clitic == "ل" or an.norms[i][:pre].endswith("لل"):
                return "ل"
        k = i - 1
        while k >= 0 and an.keys[k] in FILLERS:
            k -= 1
        if k >= 1 and an.keys[k] == "من" and an.keys[k - 1] in QUANTITIES:
            return ""  # «مئات الآلاف من الجزائريين»: partitive, the people are the actor
        if k >= 0 and an.keys[k] in PREPS:
            return an.keys[k]
        if k >= 0 and k < i - 1 and an.norms[k][:1] in ("ل", "ب") and an.keys[k][1:] in FILLERS:
            return an.norms[k][0]
        # «على يد» / «من قبل»: agent markers
        if k >= 1 and an.keys[k] in ("يد", "قبل", "جانب") and an.keys[k - 1] in ("علي", "من"):
            return "by"
        return ""

    def _appose(self, an: SentenceAnalysis, actors: list[ActorMention],
                day: dt.date | None) -> list[ActorMention]:
        """«الأمين العام للأمم المتحدة أنطونيو غوتيريش»: an organization or title followed by
        a person (nothing or a comma between) is one actor, coded by the person's role."""
        out: list[ActorMention] = []
        for n, a in enumerate(actors):
            prev = out[-1] if out else None
            nxt = actors[n + 1] if n + 1 < len(actors) else None
            title_of_next = nxt is not None and nxt.rule == "person" and nxt.i - a.j <= 1
            if prev is not None and prev.rule.endswith("person") and a.rule == "agent" and \
                    not title_of_next and \
                    not a.actor.country and a.i - prev.j <= 1 and all(
                        an.sentence.tokens[t].text in ("،", ",") for t in range(prev.j, a.i)):
                # «محمد بن سلمان ولي العهد نائب رئيس مجلس الوزراء»: titles after a name
                out[-1] = ActorMention(prev.i, a.j, prev.actor,
                                       (prev.text_span[0], a.text_span[1]), prev.prep,
                                       coord_next=None, rule=prev.rule)
                continue
            if prev is not None and a.rule == "person" and prev.rule in ("org", "agent") and \
                    a.i - prev.j <= 1 and all(an.sentence.tokens[t].text in ("،", ",")
                                               for t in range(prev.j, a.i)):
                actor = a.actor
                if not actor.country:
                    actor.country, actor.sector = prev.actor.country, prev.actor.sector
                out[-1] = ActorMention(prev.i, a.j, actor, (prev.text_span[0], a.text_span[1]),
                                       prev.prep, rule=f"{prev.rule},person")
                continue
            out.append(a)
        return out

    def _compose(self, an: SentenceAnalysis, raw, day: dt.date | None) -> None:
        sent = an.sentence
        kb = self.kb
        actors: list[ActorMention] = []
        k = 0
        while k < len(raw):
            i, j, pre, hits = raw[k]
            kinds = {h.kind for h in hits}
            if "adj" in kinds and kinds & {"state", "capital"}:
                # «أرمينية» is Armenia, «الأرمينية» the adjective: the article decides
                hits = _adj_or_state(hits, an.norms[i], pre)
                kinds = {h.kind for h in hits}
            nxt = raw[k + 1] if k + 1 < len(raw) else None
            # agent (+ agent)* + country/org word
            if "agent" in kinds and not kinds & {"person", "group", "org"}:
                agent = kb.agents[int(next(h.id for h in hits if h.kind == "agent"))]
                sector, jj, kk = agent.sector, j, k
                country, cname = "", ""
                while kk + 1 < len(raw):
                    ni, nj, npre, nhits = raw[kk + 1]
                    if ni - jj > 2 or (ni > jj and not an.norms[jj]):
                        break
                    nk = {h.kind for h in nhits}
                    if "agent" in nk and not nk & {"adj", "state", "org", "org_adj"}:
                        if ni != jj:
                            break  # «قوات النظام قصفت بالمدفعية»: a word between ends it
                        agent2 = kb.agents[int(next(h.id for h in nhits if h.kind == "agent"))]
                        sector = agent2.sector or sector
                        jj, kk = nj, kk + 1
                        continue
                    h = next((h for h in nhits if h.kind in ("adj", "state", "org_adj", "org",
                                                             "capital", "group")), None)
                    member_of = h is not None and h.kind in ("group", "org") and \
                        ni - jj == 1 and an.keys[jj] in ("من", "في")
                    if h is not None and ni - jj == 1 and not member_of and (
                            an.keys[jj] in PREPS or h.kind == "capital"):
                        break  # «المحتجين في الخرطوم»: a place, not a nationality
                    # «عناصر من حركة طالبان», «قياديين في جماعة الحوثي»: members of the group
                    gap_ok = ni - jj <= 1 or (ni - jj <= 2 and h is not None and h.kind == "adj"
                                              and _is_definite(an.norms[ni], npre) and
                                              all(an.norms[t] and an.keys[t] not in PREPS
                                                  for t in range(jj, ni)))
                    if h is not None and gap_ok:
                        if h.kind in ("org_adj", "org"):
                            o = kb.orgs[h.id]
                            country, cname = o.code, o.name_en
                            if sector in ("", "GOV"):
                                sector = o.sector
                        elif h.kind == "group":
                            # «زعيم حركة النهضة», «المتحدث باسم الحوثيين»: the group's code
                            g = kb.groups[h.id]
                            country, cname, sector = g.country, g.name_en, g.sector
                        else:
                            country = h.id
                            st = kb.states.get(h.id)
                            cname = st.name_en if st else h.id
                        jj, kk = nj, kk + 1
                    break
                if not country and agent.implied_country:
                    country = agent.implied_country
                actor = Actor(country, sector, cname, "agent")
                mention = ActorMention(i, jj, actor, self._span(sent, i, jj, pre),
                                       self._prep_before(an, i, pre), rule="agent+country"
                                       if country else "agent")
                # apposition: «الرئيس الروسي، فلاديمير بوتين»
                if kk + 1 < len(raw):
                    ni, nj, npre, nhits = raw[kk + 1]
                    gap = [an.sentence.tokens[x].text for x in range(jj, ni)]
                    if all(g in ("،", ",") for g in gap) and len(gap) <= 1:
                        ph = next((h for h in nhits if h.kind == "person"), None)
                        if ph is not None:
                            pa = self._person_actor(ph.id, day)
                            if not pa.country:
                                pa.country = country
                            if not pa.sector:
                                pa.sector = sector
                            mention = ActorMention(i, nj, pa, self._span(sent, i, nj, pre),
                                                   mention.prep, rule="agent,person")
                            kk += 1
                actors.append(mention)
                k = kk + 1
                continue
            if kinds & {"person", "group", "org", "metonym", "state", "capital"}:
                h = self._best_actor_hit(hits, day)
                actor, bare = self._hit_actor(h, day)
                mention = ActorMention(i, j, actor, self._span(sent, i, j, pre),
                                       self._prep_before(an, i, pre), bare_state=bare,
                                       rule=h.kind)
                if h.kind in ("capital", "state"):
                    mention.also_place = self._place_of(h)
                    locative = (pre and an.norms[i][:pre].rstrip("ال").endswith("ب")) or \
                        _locative_before(an, i)
                    if locative and h.kind == "capital":
                        an.places.append(PlaceMention(i, j, mention.also_place or Place(
                            actor.name, actor.country), self._span(sent, i, j, pre), True))
                        k += 1
                        continue
                    if locative and h.kind == "state" and mention.also_place:
                        an.places.append(PlaceMention(i, j, mention.also_place,
                                                      self._span(sent, i, j, pre), True))
                actors.append(mention)
                k += 1
                continue
            if ("adj" in kinds or "state" in kinds) and nxt is not None and nxt[0] == j and \
                    sent.tokens[i].kind == "latin" and any(h.kind == "agent" for h in nxt[3]):
                # English order: "Israeli warplanes", "Russian President Vladimir Putin"
                h = next(h for h in hits if h.kind in ("adj", "state"))
                agent = kb.agents[int(next(x.id for x in nxt[3] if x.kind == "agent"))]
                st = kb.states.get(h.id)
                mention = ActorMention(i, nxt[1], Actor(h.id, agent.sector,
                                                        st.name_en if st else h.id, "agent"),
                                       self._span(sent, i, nxt[1], pre),
                                       self._prep_before(an, i, pre), rule="agent")
                actors.append(mention)
                k += 2
                continue
            if "adj" in kinds or "org_adj" in kinds:
                h = next(h for h in hits if h.kind in ("adj", "org_adj"))
                country = h.id if h.kind == "adj" else kb.orgs[h.id].code
                adj_sector = "GOV" if h.kind == "adj" else kb.orgs[h.id].sector
                prev = ""
                if i > 0 and an.norms[i - 1]:
                    prev = next((k for _, k in token_keys(an.norms[i - 1])
                                 if k in COUNTERPART or k in SIDE), an.keys[i - 1])
                if prev in COUNTERPART or prev in SIDE:
                    sector = "GOV"
                    if prev in COUNTERPART and actors:
                        sector = actors[-1].actor.sector or "GOV"
                    st = kb.states.get(country)
                    mention = ActorMention(i - 1, j, Actor(country, sector,
                                                           st.name_en if st else country),
                                           self._span(sent, i - 1, j),
                                           self._prep_before(an, i - 1, 0),
                                           rule="counterpart" if prev in COUNTERPART else "side")
                    # apposition with a person: «نظيره الروسي سيرغي شويغو»
                    if k + 1 < len(raw):
                        ni, nj, npre, nhits = raw[k + 1]
                        gap = [sent.tokens[x].text for x in range(j, ni)]
                        ph = next((h for h in nhits if h.kind == "person"), None)
                        if ph is not None and len(gap) <= 1 and all(g in ("،", ",") for g in gap):
                            pa = self._person_actor(ph.id, day)
                            pa.country = pa.country or country
                            pa.sector = pa.sector or sector
                            mention = ActorMention(i - 1, nj, pa, self._span(sent, i - 1, nj),
                                                   mention.prep, rule="counterpart,person")
                            k += 1
                    actors.append(mention)
                elif h.kind == "adj" and _plural_demonym(an.norms[i]) and not (
                        actors and actors[-1].j == i):
                    # «خرج مئات الآلاف من الجزائريين»: the people of that country
                    st = kb.states.get(country)
                    actors.append(ActorMention(i, j, Actor(country, "CVL",
                                                           st.name_en if st else country),
                                               self._span(sent, i, j, pre),
                                               self._prep_before(an, i, pre), rule="demonym"))
                else:
                    an.adjectives.append((i, j, country, adj_sector))
                k += 1
                continue
            if "place" in kinds:
                h = next(h for h in hits if h.kind == "place")
                p = kb.places[h.id]
                locative = _locative_before(an, i)
                curated = not p.id.startswith("gn")
                if (locative or curated) and len(an.keys[i]) >= 3:
                    an.places.append(PlaceMention(i, j, Place(p.name_en, p.country, p.lat, p.lon,
                                                              p.id),
                                                  self._span(sent, i, j, pre), bool(locative)))
            k += 1
        # «الطرفان» and the like (replacing an agent reading of the same word: «الرئيسان»)
        for t in range(len(an.keys)):
            if an.norms[t] and any(k in BOTH for _, k in token_keys(an.norms[t])):
                actors = [a for a in actors if not (a.i <= t < a.j and a.rule == "agent")]
                actors.append(ActorMention(t, t + 1, Actor(), sent.tokens[t].span,
                                           self._prep_before(an, t, 0), both=True, rule="both"))
        actors.sort(key=lambda a: a.i)
        actors = self._appose(an, actors, day)
        # coordination: «X وY», «X و Y», «X، Y», "X and Y"
        for a, b in zip(actors, actors[1:]):
            gap = range(a.j, b.i)
            # «X، والقائم بأعمال Y»: commas and title fillers may stand between
            fill = [t for t in gap if an.norms[t]]
            waw = any(an.norms[t].startswith("و") or an.keys[t] == "and" for t in fill[:1]) or (
                b.i > a.j and not fill and an.norms[b.i].startswith("و"))
            joined = (b.i == a.j and an.norms[b.i].startswith("و") and b.prep in ("", "ل", "ب")) \
                or (b.i == a.j + 1 and an.keys[a.j] in ("و", "and")) \
                or (b.i == a.j + 1 and sent.tokens[a.j].text in ("،", ",") and b.prep == "") \
                or (0 < len(gap) <= 4 and waw and all(
                    (an.norms[t].lstrip("و") and token_keys(an.norms[t])[-1][1] in FILLERS) or
                    an.keys[t] in FILLERS or an.keys[t] == "و" or sent.tokens[t].text in ("،", ",")
                    for t in gap))
            if joined and not a.both and not b.both:
                a.coord_next, b.coord_prev = b, a
                if b.prep == "" and a.prep:
                    b.prep = a.prep  # «مع يريفان وباكو»: the preposition governs both
        an.actors = actors


def _plural_demonym(norm: str) -> bool:
    """«الجزائريين», «فلسطينيون», "Iranians": a plural nisba names people, not a quality."""
    if norm.isascii():
        return norm in ("chinese", "japanese", "lebanese", "sudanese") or (
            len(norm) >= 5 and norm.endswith(("ans", "is")))
    return len(norm) >= 6 and norm.endswith(("يين", "يون"))


def _locative_before(an: SentenceAnalysis, i: int) -> bool:
    """«في X», «مدينة X», «في العاصمة الكونغولية X»: a locative word just before, or two
    words before with a descriptive word between."""
    if i > 0 and an.keys[i - 1] in LOCATIVES:
        return True
    return i > 2 and an.keys[i - 2] in ("عاصمه", "مدينه", "capital") or (
        i > 2 and an.keys[i - 3] in ("في", "in") and an.keys[i - 2] in ("عاصمه", "مدينه"))


def _is_definite(norm: str, pre: int) -> bool:
    return norm[:pre].endswith(("ال", "لل")) or norm[pre:].startswith("ال")


def _adj_or_state(hits: list[Hit], norm: str, pre: int) -> list[Hit]:
    definite = _is_definite(norm, pre)
    drop = {"state", "capital"} if definite else {"adj"}
    return [h for h in hits if h.kind not in drop]




def _skip_chars(text: str, n_norm: int) -> int:
    """Offset into ``text`` after its first ``n_norm`` normalized letters (diacritics and
    tatweel do not count)."""
    count = 0
    for idx, ch in enumerate(text):
        if count == n_norm:
            return idx
        if "\u064b" <= ch <= "\u0652" or ch in "\u0640\u0670":
            continue
        count += 1
    return len(text)
