"""The event coder: triggers from the lexicon, arguments from the recognized actors.

For each sentence: find trigger expressions; drop those that are negated, hypothetical,
questioned or feared; turn intents into 03x and threats of force into 138; pick source
and target by the trigger's part of speech and frame (verb: subject after the verb
(VSO) or before it (SVO); passive: subject = target, «على يد/من قبل» = source; noun: a
nisba adjective or genitive, or the actor before it); then date and place.
"""

from __future__ import annotations

import datetime as dt

from raqib.coding.dates import DateExpr, find_dates
from raqib.coding.lexicon import Lexicon, TriggerMatch
from raqib.coding.recognize import ActorMention, PlaceMention, SentenceAnalysis
from raqib.model import Actor, ArgRef, Event, Place

MAX_EVENTS_PER_SENTENCE = 4
LOOKBACK = 3
NOUN_LOOKBACK = 12  # «لم يلتق X نظيره خلال القمة»: a negated clause covers its nouns
# marker kinds whose presence anywhere in the sentence says something about the event
SENTENCE_KINDS = {"report", "fear", "casualty", "intent", "hypothetical", "generic", "denial",
                  "past_far", "protest_evidence"}
RELATIVES = {"ذي", "تي", "ذين", "لتي", "لذي", "لذين", "لواتي", "لاتي", "which", "who", "that"}
TEMPORAL_SUBORDINATORS = {"بعد", "منذ", "قبل", "اثر", "عقب", "خلال", "جراء", "بسبب",
                          "after", "since", "before", "during"}
DOMESTIC_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "OPP", "PTY", "CVL", "MED",
                    "EDU", "LAB", "REL", "HLH", "BUS", "REF", "CRM"}
COOPERATIVE_ROOTS = {"01", "02", "03", "04", "05", "06", "07", "08"}
FORCE_ROOTS = {"15", "18", "19", "20"}
PLACE_TARGET_ROOTS = {"07", "18", "19", "20"}
# Intent to do X → CAMEO 03x; threat to do X → 13x.
INTENT_CODE = {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035", "045": "039",
               "046": "036", "057": "032", "0871": "0356", "087": "0356"}
THREAT_CODE = {"14": "133", "16": "131", "17": "137", "18": "138", "19": "138", "20": "138"}
GENERIC_TARGET_PREPS = {"مع", "الي", "علي", "ضد", "ل", "بحق", "تجاه", "نحو", "with", "to",
                        "against", "on"}
LIGHT_VERBS = {"شن", "شنت", "يشن", "تشن", "شنوا", "نفذ", "نفذت", "ينفذ", "تنفذ", "نفذوا", "اجري",
               "اجرت", "يجري", "تجري", "اجريا", "نظم", "نظمت", "ينظم", "تنظم", "نظموا", "ارتكب",
               "ارتكبت", "يرتكب", "قام", "قامت", "يقوم", "تقوم", "قاموا", "عقد", "عقدت", "يعقد",
               "تعقد", "عقدا", "وقع", "وقعت", "وقعا", "وقعوا", "وقعتا", "اعلن", "اعلنت", "اطلق",
               "اطلقت", "launched", "carried", "staged", "held", "conducted"}


class EventCoder:
    def __init__(self, lexicons: dict[str, Lexicon], event_filter=None):
        self.lexicons = lexicons
        self.event_filter = event_filter  # raqib.coding.event_filter.EventFilter or None

    # ------------------------------------------------------------------ triggers
    def _select(self, matches: list[TriggerMatch]) -> list[TriggerMatch]:
        """Non-overlapping best triggers: longer, context-backed, more specific first."""
        ranked = sorted(matches, key=lambda m: (-(m.end - m.start), -m.entry.n_words,
                                                -bool(m.context_hit), m.context_dist,
                                                -len(m.entry.code), m.start))
        chosen: list[TriggerMatch] = []
        used: set[int] = set()
        for m in ranked:
            span = set(range(m.start, m.end))
            if span & used:
                continue
            chosen.append(m)
            used |= span
        chosen.sort(key=lambda m: m.start)
        return chosen

    def _modality(self, lex: Lexicon, an: SentenceAnalysis, m: TriggerMatch) -> tuple[str, str]:
        """(modality, marker text). modality: asserted|negated|intent|hypothetical|..."""
        keys, norms = an.keys, an.norms
        first = norms[m.start]
        if m.prefix_chars and first[:m.prefix_chars].lstrip("وف").startswith("س") and \
                m.entry.pos == "verb":
            return "intent", "س"
        noun = m.entry.pos == "noun"
        lo = max(0, m.start - (NOUN_LOOKBACK if noun else LOOKBACK))
        for t in range(m.start - 1, lo - 1, -1):
            if not norms[t]:
                if an.sentence.tokens[t].text in (".", "؟", "?", "!", ":") or (
                        noun and an.sentence.tokens[t].text in ("،", ",", "؛")):
                    break
                continue
            kinds = lex.marker_kinds(keys, norms, t)
            if not kinds:
                continue
            if keys[t] == "قد" and not _imperfect(norms, t + 1):
                continue  # «قد» + past verb is "indeed/already", not "may"
            for kind in ("negation", "denial", "hypothetical", "question", "fear", "intent",
                         "future", "generic"):
                if kind in kinds:
                    return {"negation": "negated", "denial": "negated",
                            "future": "intent", "fear": "feared"}.get(kind, kind), keys[t]
        # question anywhere at the sentence start
        if keys and lex.markers.get(keys[0], set()) & {"question"}:
            return "question", keys[0]
        return "asserted", ""

    # ------------------------------------------------------------------ arguments
    def _source_target(self, an: SentenceAnalysis, m: TriggerMatch, lang: str
                       ) -> tuple[ActorMention | None, list[ActorMention], str]:
        e = m.entry
        actors = an.actors
        # actors inside a phrase's gap («أعرب باشينيان عن امتنانه») count as following it
        after = [a for a in actors if a.i > m.start and not _inside_words(an, m, a)]
        before = [a for a in actors if a.j <= m.start]
        near_before = before[::-1]
        src: ActorMention | None = None
        tgts: list[ActorMention] = []
        rule = e.pos
        preps = e.target_preps

        def is_tgt(a: ActorMention) -> bool:
            return (a.prep in preps) if preps else a.prep == ""

        def pick_target(pool: list[ActorMention]) -> ActorMention | None:
            """The first actor introduced by one of the trigger's prepositions or standing
            as a direct object; else one after a generic target preposition."""
            fits = [a for a in pool if is_tgt(a) or (a.prep == "" and e.frame != "intr")]
            if not fits:
                # an intransitive act may still be aimed at someone: «تظاهروا ضد الحكومة»
                fits = [a for a in pool if a.prep in GENERIC_TARGET_PREPS and
                        (e.frame != "intr" or a.prep in ("ضد", "مع", "علي", "against"))]
            # «اتهم لعمامرة، في ندوة بمقر الوزارة، المملكة المغربية»: a title or body with
            # no country is a weaker reading than a named country that follows it
            return next((a for a in fits if a.actor.country or a.both), fits[0] if fits else None)

        if e.pos == "passive":
            agent = next((a for a in after if a.prep == "by"), None)
            src = agent
            tgts = [a for a in after if a.prep == "" and a is not agent][:1]
            rule = "passive: subject→target" + (", «على يد/من قبل»→source" if agent else "")
        elif e.pos == "noun":
            after_n = [a for a in actors if a.i >= m.end]
            adj = next((a for a in an.adjectives if a[0] == m.end or a[0] == m.end + 1), None)
            gen = after_n[0] if after_n and after_n[0].i == m.end and after_n[0].prep == "" \
                else None
            if gen is None and after_n and after_n[0].prep == "من" and after_n[0].i <= m.end + 1:
                gen = after_n[0]  # «بوساطة من أمير قطر»
            by = next((a for a in after_n if a.prep == "by"), None)
            instrumental = m.prefix_chars and an.norms[m.start][:m.prefix_chars].endswith("ب") \
                and e.code[:2] in ("04", "05", "06", "07")
            lam = after_n[0] if after_n and after_n[0].prep == "ل" and \
                after_n[0].i - m.end <= 1 and e.frame != "sym" else None
            if by is not None:
                src, rule = by, "noun + «من قبل»→source"
            elif lam is not None and adj is None:
                src, rule = lam, "noun + «لـ» agent («قصف مدفعي لقوات النظام»)→source"
            elif adj is not None:
                src = ActorMention(adj[0], adj[1], Actor(adj[2], adj[3], ""),
                                   _span(an, adj[0], adj[1]), rule="nisba")
                rule = "noun + nisba adjective→source"
            elif gen is not None and (e.frame == "intr" or instrumental):
                src, rule = gen, "noun + genitive→source"
            else:
                lv = _light_verb_before(an, m.start)
                cand = [a for a in near_before if a.prep == ""] if lv is None else (
                    [a for a in actors if lv < a.i < m.start and a.prep == ""] or
                    [a for a in near_before if a.prep == ""])
                src = _coord_head(cand[0]) if cand else None
                rule = "noun, actor before→source" if src else "noun, source unknown"
            pool = [a for a in after_n if a is not src and a.prep != "by"]
            if gen is not None and e.frame == "dir" and gen is not src and not preps:
                tgts = [gen]
            elif preps or e.frame != "intr":
                t = pick_target(pool) if preps else (gen if gen is not None and gen is not src
                                                      else None)
                tgts = [t] if t is not None else []
            if not tgts and instrumental and src is not None:
                other = next((a for a in near_before if a is not src and a.prep in ("", "بين")
                              and a.actor.country and a.actor.country != src.actor.country), None)
                if other is not None:
                    tgts = [_coord_head(other)]
        else:  # verb / phrase
            between = next((a for a in after if a.prep == "بين" and a.coord_next), None)
            subj_after = next((a for a in after if a.prep == "" and
                               _words_between(an, m.end, a.i) <= 3), None)
            plural = e.pos == "verb" and _plural_verb(an.norms[m.start][m.prefix_chars:])
            # «أن أردوغان طالب بوقف هجمات قوات النظام»: an actor right before the verb is
            # its subject (in VSO order the verb would open the clause)
            adjacent = near_before[0] if near_before and near_before[0].prep == "" and \
                near_before[0].j == m.start else None
            if e.frame == "sym" and between is not None and not subj_after:
                src, rule = between, f"{e.pos}: «بين X وY»"
            elif adjacent is not None and lang != "en":
                src, rule = _coord_head(adjacent), f"{e.pos}: subject right before the verb"
            elif e.frame == "sym" and between is not None and not subj_after:
                src, rule = between, f"{e.pos}: «بين X وY»"
            elif lang != "en" and subj_after is not None and not (plural and near_before):
                src, rule = subj_after, f"{e.pos}: VSO subject"
            else:
                cand = [a for a in near_before if a.prep == ""]
                src = _coord_head(cand[0]) if cand else None
                rule = (f"{e.pos}: SVO subject" + (" (plural verb)" if plural else "")) if src \
                    else f"{e.pos}: subject unknown"
                if src is None and subj_after is not None:
                    src = subj_after
            pool = [a for a in after if a is not src and (src is None or a.i >= src.j)]
            chain = set()
            c = src
            while c is not None and c.coord_next is not None:
                chain.add(id(c.coord_next))
                c = c.coord_next
            pool = [a for a in pool if id(a) not in chain]
            t = pick_target(pool)
            tgts = [t] if t is not None else []
        # coordinated targets: «مع يريفان وباكو» → two events
        if tgts:
            t = tgts[0]
            while t.coord_next is not None and len(tgts) < MAX_EVENTS_PER_SENTENCE:
                t = t.coord_next
                tgts.append(t)
        return src, tgts, rule

    # ------------------------------------------------------------------ main
    def code_sentence(self, an: SentenceAnalysis, doc_id: str, ref: dt.date | None,
                      dateline_place: Place | None, dateline_text: str, lang: str,
                      state: dict) -> list[Event]:
        lex = self.lexicons.get(lang) or self.lexicons.get("ar")
        if lex is None:
            return []
        matches = lex.match(an.keys, an.norms, [t.text for t in an.sentence.tokens])
        if not matches:
            return []
        sent = an.sentence
        dates = find_dates(sent.text)
        events: list[Event] = []
        selected = self._select(matches)
        rejected: list[Event] = []  # filtered out, but their codes may still refine others
        for n_m, m in enumerate(selected):
            if len(events) >= MAX_EVENTS_PER_SENTENCE:
                break
            e = m.entry
            code = e.code
            if n_m and m.prefix_chars and an.norms[m.start][:m.prefix_chars].lstrip("و") in (
                    "ل", "لل") and e.pos == "noun":
                # «تظاهروا … للمطالبة بـ», «وصل … لبحث»: the purpose of an earlier act
                state.setdefault("dropped", []).append((code, "purpose", ""))
                continue
            modality, marker = self._modality(lex, an, m)
            explain = [f"trigger «{_text(an, m.start, m.end)}» matched lexicon {e.id} "
                       f"({e.pos}, {e.frame}: {e.form} → {code})"]
            if m.context_hit:
                explain.append(f"context word «{m.context_hit}» present")
            if modality in ("negated", "hypothetical", "question", "generic"):
                if not (modality == "negated" and code.startswith("016")):
                    explain.append(f"dropped: {modality} by «{marker}»")
                    state.setdefault("dropped", []).append((code, modality, marker))
                    continue
            if modality == "feared":
                if code[:2] in THREAT_CODE:
                    state.setdefault("dropped", []).append((code, modality, marker))
                    continue
                modality = "asserted"
            if modality == "intent":
                new = INTENT_CODE.get(code) or INTENT_CODE.get(code[:3]) or INTENT_CODE.get(
                    code[:2]) or THREAT_CODE.get(code[:2])
                if new is None:
                    continue
                explain.append(f"intent/threat marker «{marker}»: {code} → {new}")
                code = new
            src, tgts, rule = self._source_target(an, m, lang)
            explain.append(rule)
            reciprocal = e.frame == "sym"
            if e.frame == "sym" and src is not None and src.coord_next is not None:
                tgts = [src.coord_next]
                explain.append("coordinated subjects «X وY» → reciprocal")
            if e.frame == "sym" and not tgts:
                reciprocal = False
            if src is not None and src.both or any(t.both for t in tgts):
                pair = state.get("last_pair")
                if pair:
                    src_actor, tgt_actor = pair
                    both_m = src if src is not None and src.both else next(t for t in tgts if t.both)
                    src = ActorMention(both_m.i, both_m.j, src_actor, both_m.text_span, rule="both")
                    tgts = [ActorMention(both_m.i, both_m.j, tgt_actor, both_m.text_span,
                                         rule="both")]
                    reciprocal = True
                    explain.append("«الطرفان» → the article's last reciprocal pair")
                else:
                    src = None if src is not None and src.both else src
                    tgts = [t for t in tgts if not t.both]
            date, precision, date_text = self._date(dates, m, an, ref)
            explain.append(f"date «{date_text}» → {date} ({precision})" if date_text else
                           f"date: the publication date {date}" if date else
                           "date: unknown (no date words, no publication date)")
            place, place_text = self._place(an, m, dateline_place, dateline_text, date, ref)
            if not tgts and code[:2] in PLACE_TARGET_ROOTS and place is not None and (
                    src is None or src.actor.country != place.country):
                tgts = [ActorMention(0, 0, Actor(place.country, "", ""), (0, 0),
                                     rule="place→target")]
                explain.append("target from the place's country")
            if not tgts and code[:2] in ("01", "02", "03", "05") and src is not None:
                partner = state.get("partners", {}).get(src.actor.country)
                if partner is not None:
                    tgts = [ActorMention(0, 0, partner, (0, 0), rule="partner")]
                    explain.append("target: the source's partner in this article")
            local = place.country if place is not None and place.country else (
                dateline_place.country if dateline_place is not None else
                state.get("doc_country", ""))
            # «قطعت السعودية والإمارات والبحرين ومصر علاقاتها مع قطر»: each subject of a
            # one-sided act is its own event (reciprocal frames pair them instead)
            srcs = [src]
            if e.frame != "sym" and e.pos != "noun" and src is not None and not src.both:
                c = src.coord_next
                while c is not None and len(srcs) < MAX_EVENTS_PER_SENTENCE and not c.both:
                    srcs.append(c)
                    c = c.coord_next
                if len(srcs) > 1:
                    explain.append(f"{len(srcs)} coordinated subjects → one event each")
                    tgts = [t for t in tgts if all(t is not x for x in srcs)]
            pairs = [(s_, t_) for s_ in srcs for t_ in (tgts or [None])
                     if not _same_actor(s_, t_)] or [(srcs[0], None)]
            for src, t in pairs[:MAX_EVENTS_PER_SENTENCE]:
                source = _arg(src, code)
                target = _arg(t, code) if t is not None and t.rule not in ("place→target",
                                                                           "partner") else (
                    ArgRef(t.actor, "", (0, 0)) if t is not None else None)
                for arg in (source, target):
                    if arg is not None and local and not arg.actor.country and \
                            arg.actor.sector in DOMESTIC_SECTORS:
                        # «الشرطة» / «المحتجون» in Alexandria: that country's police, people
                        arg.actor.country = local
                        explain.append(f"«{arg.actor.sector}» without a country: {local} "
                                       f"from the place of the event")
                if (source is None or not source.actor.code) and code[:2] in COOPERATIVE_ROOTS:
                    # «وجرى خلال الاستقبال…»: a cooperative act with nobody doing it is a
                    # back-reference or a generic mention, not a new event
                    explain.append("dropped: no source for a cooperative act")
                    continue
                if source is None and target is None and code[:2] not in (
                        "14", "15", "17", "18", "19", "20"):
                    explain.append("dropped: no actor")
                    continue
                conf = 0.45 + 0.2 * (source is not None and bool(source.actor.country)) + \
                    0.1 * (target is not None and bool(target.actor.country)) + \
                    0.1 * bool(m.context_hit) + 0.05 * (e.n_words > 1)
                t_span = (_tok_start(an, m.start, m.prefix_chars),
                          an.sentence.tokens[m.end - 1].span[1])
                off = an.sentence.span[0]
                ev = Event(doc_id=doc_id, cameo=code, source=source, target=target,
                           trigger_text=sent.text[t_span[0] - off:t_span[1] - off],
                           trigger_span=t_span,
                           sentence_index=sent.index, sentence_span=sent.span, field=sent.field,
                           reciprocal=reciprocal and target is not None, modality=modality,
                           date=date, date_precision=precision, date_text=date_text,
                           place=place, place_text=place_text, confidence=min(conf, 0.95),
                           rule=f"{e.id} {e.form}→{e.code}", explain=list(explain))
                ev.features = self._features(lex, an, m, ev, src, dates, len(selected))
                if self.event_filter is not None and not self.event_filter.apply(ev):
                    state.setdefault("dropped", []).append((code, "filter", ev.explain[-1]))
                    rejected.append(ev)
                    continue
                events.append(ev)
                if ev.reciprocal and source and target and source.actor.country and \
                        target.actor.country:
                    state["last_pair"] = (source.actor, target.actor)
                    state.setdefault("partners", {})[source.actor.country] = target.actor
                    state["partners"][target.actor.country] = source.actor
        return _best_per_root(events, rejected)

    def _features(self, lex: Lexicon, an: SentenceAnalysis, m: TriggerMatch, ev: Event,
                  src: ActorMention | None, dates: list[DateExpr], n_triggers: int
                  ) -> dict[str, float]:
        """What the event filter weighs: the shape of the evidence, not the words."""
        e = m.entry
        f: dict[str, float] = {f"root={ev.cameo[:2]}": 1, f"pos={e.pos}": 1,
                               f"frame={e.frame}": 1, f"mod={ev.modality}": 1}
        norm0 = an.norms[m.start]
        f["trigger_definite"] = float(norm0[m.prefix_chars:].startswith("ال") or
                                      norm0[:m.prefix_chars].endswith(("ال", "لل")))
        f["trigger_multiword"] = float(e.n_words > 1)
        f["context_hit"] = float(bool(m.context_hit))
        f["source_country"] = float(ev.source is not None and bool(ev.source.actor.country))
        f["source_sector"] = float(ev.source is not None and bool(ev.source.actor.sector))
        f["source_person"] = float(src is not None and "person" in src.rule)
        f["target_country"] = float(ev.target is not None and bool(ev.target.actor.country))
        f["place"] = float(ev.place is not None)
        f["date_expr"] = float(bool(dates))
        f["date_past_year"] = float(any(d.kind == "year" for d in dates))
        f["number"] = float(any(t.kind == "num" for t in an.sentence.tokens))
        f["n_actors"] = min(len(an.actors), 4) / 4
        f["n_triggers"] = min(n_triggers, 5) / 5
        f["position"] = m.start / max(1, len(an.norms))
        f["long_sentence"] = float(len(an.norms) > 40)
        kinds_before: set[str] = set()
        for t in range(max(0, m.start - 4), m.start):
            if an.norms[t]:
                kinds_before |= lex.marker_kinds(an.keys, an.norms, t)
        kinds_all: set[str] = set()
        for t in range(len(an.norms)):
            if an.norms[t]:
                kinds_all |= lex.marker_kinds(an.keys, an.norms, t)
        for k in kinds_before:
            f[f"before={k}"] = 1
        for k in kinds_all & SENTENCE_KINDS:
            f[f"sentence={k}"] = 1
        prev = [an.keys[t] for t in range(max(0, m.start - 2), m.start) if an.norms[t]]
        f["after_temporal"] = float(any(k in TEMPORAL_SUBORDINATORS for k in prev))
        nxt = next((an.keys[t] for t in range(m.end, min(len(an.keys), m.end + 2))
                    if an.norms[t]), "")
        f["relative_after"] = float(nxt in RELATIVES)
        # «المتظاهرون الذين تجمعوا»: an act in a relative clause is background to another
        f["relative_before"] = float(bool(prev) and prev[-1] in RELATIVES)
        f["lang_en"] = float(an.sentence.lang == "en")
        # how reliable this lexicon entry has proven (learned per entry, not per sentence)
        f["number_near"] = float(any(an.sentence.tokens[t].kind == "num" for t in
                                     range(max(0, m.start - 6), min(len(an.norms), m.end + 6))))
        f[f"entry={e.row}"] = 1
        f[f"code={ev.cameo}"] = 1
        return f

    def _date(self, dates: list[DateExpr], m: TriggerMatch, an: SentenceAnalysis,
              ref: dt.date | None) -> tuple[str | None, str | None, str]:
        if dates:
            t0 = an.sentence.tokens[m.start].span[0] - an.sentence.span[0]
            best = min(dates, key=lambda d: (d.precision != "day" and d.kind == "year",
                                             abs(d.span[0] - t0)))
            value, precision = best.resolve(ref)
            if value is not None and ref is not None and value[:10] > ref.isoformat():
                # a future date («الأسبوع المقبل») belongs to the announced act, not to the
                # announcement, which happened by the publication date
                return ref.isoformat(), "day", ""
            if value is not None:
                return value, precision, best.text
        if ref is not None:
            return ref.isoformat(), "day", ""
        return None, None, ""

    def _place(self, an: SentenceAnalysis, m: TriggerMatch, dateline_place: Place | None,
               dateline_text: str, date: str | None, ref: dt.date | None
               ) -> tuple[Place | None, str]:
        places: list[PlaceMention] = an.places
        off = an.sentence.span[0]
        if places:
            best = min(places, key=lambda p: (not p.locative, abs(p.i - m.start)))
            s, e = best.text_span
            return best.place, an.sentence.text[s - off:e - off]
        # «يصل إلى بغداد»: a capital named as the destination or host is also the place
        dest = [a for a in an.actors if a.also_place is not None and a.prep in ("الي", "في", "ب")]
        if dest:
            a = min(dest, key=lambda a: abs(a.i - m.start))
            return a.also_place, an.sentence.text[a.text_span[0] - off:a.text_span[1] - off]
        # a current event with no place words happened where the article was filed
        if dateline_place is not None and ref is not None and date == ref.isoformat():
            return dateline_place, dateline_text
        return None, ""


def _best_per_root(events: list[Event], rejected: list[Event] = ()) -> list[Event]:
    """Two triggers of one root in a sentence («وقع … مذكرة تفاهم») report one act: keep
    the trigger whose events have the most identified actors (then the earlier one)."""
    by_trigger: dict[tuple, list[Event]] = {}
    for ev in events:
        by_trigger.setdefault((ev.cameo[:2], ev.trigger_span), []).append(ev)
    best: dict[str, tuple] = {}
    specific: dict[str, str] = {}
    for (root, span), evs in by_trigger.items():
        score = max((ev.source is not None and bool(ev.source.actor.country)) +
                    (ev.target is not None and bool(ev.target.actor.country)) for ev in evs)
        if root not in best or score > best[root][0]:
            best[root] = (score, span)
    for ev in [*events, *rejected]:
        root, code = ev.cameo[:2], ev.cameo
        if root not in specific or _code_rank(code) > _code_rank(specific[root]):
            specific[root] = code
    out = [ev for ev in events if best[ev.cameo[:2]][1] == ev.trigger_span]
    for ev in out:
        # «دعا X … إلى أقصى درجات ضبط النفس»: the appeal's content names the precise code
        better = specific[ev.cameo[:2]]
        if _code_rank(better) > _code_rank(ev.cameo):
            ev.explain.append(f"code refined {ev.cameo} → {better} by another trigger of the "
                              f"same root in the sentence")
            ev.cameo = better
    return out


def _code_rank(code: str) -> int:
    """4-digit codes beat 3-digit ones; a 3-digit code ending in 0 is the root's generic."""
    return len(code) * 2 - (code.endswith("0") and len(code) == 3)


def _same_actor(a: ActorMention | None, b: ActorMention | None) -> bool:
    """An actor acting on itself («الجيش الإسرائيلي … القوات الإسرائيلية») is a misreading."""
    return a is not None and b is not None and bool(a.actor.country) and \
        (a.actor.country, a.actor.sector) == (b.actor.country, b.actor.sector)


def _coord_head(a: ActorMention) -> ActorMention:
    """The first actor of a coordination «X وY وZ» that ``a`` belongs to."""
    while a.coord_prev is not None:
        a = a.coord_prev
    return a


def _plural_verb(norm: str) -> bool:
    """Dual/plural verb forms (وقعتا، يبحثان، وقعوا): in Arabic their subject comes first."""
    return len(norm) >= 4 and norm.endswith(("وا", "ون", "ان", "تا"))


def _words_between(an: SentenceAnalysis, i: int, j: int) -> int:
    return sum(1 for t in range(i, j) if an.norms[t])


def _inside_words(an: SentenceAnalysis, m: TriggerMatch, a: ActorMention) -> bool:
    """Does the actor overlap the trigger's own first word (not just its gap)?"""
    return a.i <= m.start < a.j


def _imperfect(norms: list[str], t: int) -> bool:
    while t < len(norms) and not norms[t]:
        t += 1
    return t < len(norms) and norms[t][:1] in ("ي", "ت", "ن") and len(norms[t]) >= 3


def _light_verb_before(an: SentenceAnalysis, start: int) -> int | None:
    for t in range(start - 1, max(-1, start - 14), -1):
        if not an.norms[t] and an.sentence.tokens[t].text in (".", ":", "؟", "?"):
            return None
        if an.norms[t] and (an.norms[t] in LIGHT_VERBS or an.keys[t] in LIGHT_VERBS):
            return t
    return None


def _arg(mention: ActorMention | None, code: str) -> ArgRef | None:
    if mention is None:
        return None
    actor = Actor(mention.actor.country, mention.actor.sector, mention.actor.name,
                  mention.actor.kb_id)
    if mention.bare_state and code[:2] in FORCE_ROOTS and actor.sector == "GOV":
        actor.sector = "MIL"
    return ArgRef(actor, "", mention.text_span)


def _tok_start(an: SentenceAnalysis, i: int, prefix_chars: int) -> int:
    from raqib.coding.recognize import _skip_chars

    tok = an.sentence.tokens[i]
    return tok.span[0] + (_skip_chars(tok.text, prefix_chars) if prefix_chars else 0)


def _span(an: SentenceAnalysis, i: int, j: int) -> tuple[int, int]:
    toks = an.sentence.tokens
    return (toks[i].span[0], toks[j - 1].span[1])


def _text(an: SentenceAnalysis, i: int, j: int) -> str:
    s, e = _span(an, i, j)
    off = an.sentence.span[0]
    return an.sentence.text[s - off:e - off]
