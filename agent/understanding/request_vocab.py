"""Cue vocabulary for controller requests (Slack / web chat), EN first, DE/FR/ES basics.

Weights: 2.5+ for phrases that name the request outright ("write off", "payment plan",
"aging report"), ~1.5 for clear verbs, ~1 for words shared by several requests
("owe", "invoices"). Patterns run on folded text.
"""

from __future__ import annotations

from agent.understanding._cues import Cue, cue

REQUEST_CUES: list[Cue] = [
    *cue(
        "write_off",
        3.0,
        r"\bzero (?:out|off)\b|\bwipe (?:out |off )?(?:the |their |its )?(?:balance|debt)\b|"
        r"\bset (?:the |their |its )?balance to (?:zero|0)\b|\bcancel (?:the |their |its )?(?:debt|"
        r"balance)\b|"
        r"\bwrite[- ]?offs?\b|\bwritten off\b|\bwrite (?:it |this |the \w+ )?(?:off|down)\b|"
        r"\b(?:issue|create|raise|make|book|do|need|want|post) (?:a |an )?credit (?:note|memo)\b|"
        r"^\W*(?:a |pls |please )?credit (?:note|memo)s? (?:for|on|to|against)\b|"
        r"\bgutschrift (?:fur|an|erstellen|ausstellen)\b|\b(?:faire|emettre) un avoir\b|"
        r"\bnota de credito\b|\bforgive (?:the|their|"
        r"this) (?:debt|balance)\b|\babschreib\w*|\bausbuchen\b|\bpasser en perte\w*|"
        r"\bcastigar\b|\bcondonar\b",
        negatable=False,
    ),
    *cue(
        "help",
        3.0,
        r"^\s*(?:help|\?|commands|hilfe|aide|ayuda)(?: me| please| pls)?\s*[?!.]*$|\bwhat (?:can|do|does) (?:you|this (?:bot|thing|tool|agent|app)|it) do\b|\bhow "
        r"(?:do i|does this|do you) (?:use|work)\b|\bwhat are you able\b|\bwhat commands\b|"
        r"\b(?:your|the bot's|its) (?:capabilities|features|functions|skills|commands)\b|"
        r"\bhow can you help\b|\bwhat (?:can i|should i) ask\b|"
        r"\bwas kannst du\b|\bque (?:peux|pouvez)[- ]tu faire\b|\bque puedes hacer\b",
        negatable=False,
    ),
    *cue(
        "greeting",
        1.0,
        r"^\s*(?:hi|hello|hey|hiya|howdy|good (?:morning|afternoon|evening)|yo|hallo|guten "
        r"(?:morgen|tag)|servus|moin|bonjour|salut|hola|buenos dias|buenas|ciao|hoi|thanks|thank you|"
        r"thx|ty|cheers|danke|merci|gracias|grazie|bedankt|ok|okay|great|cool|perfect)\b",
        negatable=False,
    ),
    *cue(
        "approvals_pending",
        2.5,
        r"\bapprov(?:als?|e|ing)\b|\bsign[- ]?off\b|\bpending (?:actions|items|drafts|proposals|requests)\b|\bwaiting (?:for|"
        r"on) (?:approval|sign[- ]?off|me|review)\b|\b(?:the |my |approval )queue\b|\bto approve\b|"
        r"\bneeds? (?:my |an )?(?:approval|sign[- ]?off|review)\b|\bfreigabe\w*|\ba valider\b|"
        r"\ben attente de validation\b|\bpendientes? de aprobacion\b|\bpor aprobar\b",
        negatable=False,
    ),
    *cue(
        "dunning_run",
        2.5,
        r"\b(?:dunning|collections?|reminder|cadence) (?:run|cycle|batch)\b|\brun (?:the |a |"
        r"today's )?(?:dunning|cadence|collections?|cycle|daily cycle|reminders)\b|\bmahnlauf\w*|\bmahnungen (?:laufen|"
        r"starten)\b|\blancer (?:les )?relances\b|\bciclo de cobro\b",
        negatable=False,
    ),
    *cue(
        "match_bank_file",
        2.5,
        r"\bbank (?:file|statement|feed|export|transactions|deposits)\b|\bstatement file\b|"
        r"\bcash app(?:lication)?\b|\bapply (?:the )?(?:cash|payments|receipts|deposits)\b|"
        r"\bmatch (?:the |today's |these |incoming )?(?:payments|bank|deposits|receipts|"
        r"transactions|remittances?|file|csv|ofx|qif|export|statement)\b|\bupload\w*\b.{0,30}\b(?:csv|"
        r"ofx|file|statement|camt\w*|bai2?|mt940)\b|\breconcil\w*\b.{0,20}?\b(?:bank|statement|payments|deposits|receipts|cash|"
        r"transactions|camt\w*|file)\b|\breconcile (?:the |today's |our )?(?:bank|statement|"
        r"payments|deposits|receipts|file|camt\w*|account)\b|\bcamt\w*|\bbai2?\b|\bmt940\b|"
        r"\blockbox\b|\bkontoauszug\w*|\bzahlungsabgleich\b|\brapprochement\b|\breleve bancaire\b|"
        r"\bconciliacion\b|\bextracto bancario\b",
        negatable=False,
    ),
    *cue(
        "escalate",
        2.5,
        r"\blegal\b|\blawyers?\b|\battorneys?\b|\bsolicitors?\b|\bsmall claims\b|\bcourt\b|"
        r"\bloop in\b|\b(?:a|an) (?:human|person|real person|manager|supervisor|collector)\b|"
        r"\bhand (?:it |this )?off\b|\bmanual review\b|\bflag (?:it |this |them )?(?:to|for) "
        r"(?:a |the )?(?:human|manager|team|review|legal)\b|"
        r"\bescalat\w*|\bto (?:legal|our lawyers?|an? (?:collection|debt) agency|collections?)\b|"
        r"\b(?:collection|debt) agency\b|\bhand (?:it |them |this )?over to\b|\bget a human\b|"
        r"\binkasso\w*|\brechtsabteilung\b|\beskalier\w*|\bcontentieux\b|\bescalad\w*|"
        r"\babogad\w*|\banwalt\b|\bavocat\b",
        negatable=False,
    ),
    *cue(
        "update_contact",
        2.5,
        r"\b(?:update|change|replace|set|switch|correct)\b.{0,40}?\b(?:contact|e-?mail(?: "
        r"address)?|address|recipient)\b|\bnew (?:ap |billing )?(?:contact|e-?mail)\b|\bcontact (?:is|should "
        r"be) now\b|\bkontakt\w* (?:aktualisieren|andern)\b|\bneue\w* (?:ansprechpartner|"
        r"e-?mail)\b|\b(?:changer|modifier|mettre a jour) (?:le )?contact\b|\b(?:actualizar|"
        r"cambiar) (?:el )?(?:contacto|correo)\b",
        negatable=False,
    ),
    *cue("update_contact", 1.0, r"[\w.+-]+@[\w-]+\.[\w.]+", negatable=False),
    *cue(
        "hold_dunning",
        1.0,
        r"\buntil\b|\btill\b|\btil\b|\bbis\b|\bjusqu'au\b|\bhasta\b",
        negatable=False,
    ),
    *cue(
        "hold_dunning",
        2.5,
        r"^\W*(?:pause|hold|freeze|snooze|mute|suspend)\b|\b(?:put|place|set|add) (?:a |an )?"
        r"(?:[\w-]+ ){0,3}?hold (?:on|for)\b|\bon hold\b|"
        r"\bno (?:more|further) (?:reminders|emails|dunning|chasing|notices|contact|letters)\b|"
        r"\b(?:leave|let) (?:them|[\w']+) (?:alone|be)\b|\bback off\b|\bhold off\b|\bwait (?:with|"
        r"on) (?:the )?(?:reminders|dunning|chasing)\b",
        negatable=False,
    ),
    *cue(
        "hold_dunning",
        2.5,
        r"\b(?:hold|pause|suspend|freeze|snooze|mute|stop|halt)\b.{0,25}?\b(?:dunning|reminders?|"
        r"chasing|emails?|collections?|notices?|contact(?:ing)?)\b|\bon hold\b|\b(?:don't|do not|"
        r"stop) (?:chase|chasing|dun|dunning|remind|contact)\b|\bmahnsperre\b|\bmahnstopp\b|"
        r"\b(?:mahnungen|erinnerungen) (?:pausieren|aussetzen|anhalten|stoppen)\b|\bpausier\w*|"
        r"\baussetzen\b|\bsuspendre\b|\bmettre en (?:pause|attente)\b|\bbloquer les relances\b|"
        r"\bpausar\b|\bsuspender\b|\bdetener (?:los )?recordatorios\b",
        negatable=False,
    ),
    *cue(
        "open_dispute",
        2.5,
        r"\bdisput\w*|\bcontest\w*|\b(?:pricing|price|quantity|quality|delivery|tax) "
        r"(?:issue|problem|complaint|dispute)\b|\b(?:open|log|raise|record|file|create) (?:a |an )?"
        r"(?:dispute|complaint|claim)\b|\breklamation\w*|\bbeanstand\w*|\blitige\b|"
        r"\bdisputa\b|\breclamacion\b",
        negatable=False,
    ),
    *cue(
        "open_dispute",
        1.0,
        r"\b(?:wrong|incorrect|damaged|defective|duplicate\w*|(?:never|not|wasn't|was not|weren't|"
        r"were not|hasn't been|haven't been|didn't get|did not get) (?:been )?(?:received|"
        r"delivered|shipped|arrived|performed|done)|"
        r"overcharged|short[- ]shipped|double[- ]?(?:billed|charged|invoiced)|billed twice|"
        r"charged twice|over-?billed|mis-?billed|short[- ]?paid because|complain\w*|"
        r"(?:doesn't|don't|does not|do not|won't|will not|refus\w*) (?:agree|accept|pay)\w*)\b",
        negatable=False,
    ),
    *cue(
        "payment_plan",
        2.5,
        r"\b\d+ (?:monthly |weekly |equal )?(?:payments|instal?l?ments)\b|\bpayments of\b|"
        r"\b(?:stretch|spread|split|break up)\b.{0,30}?\b(?:payments?|balance|debt|amount|over)\b|"
        r"\bpayment (?:plan|arrangement|schedule)\b|\binstal?l?ment(?:s| plan)\b|\b\d+[- ]month "
        r"plan\b|\b(?:monthly|weekly|bi-?weekly|fortnightly|quarterly) (?:payments|"
        r"instal?l?ments)\b|\bpay(?:ing)? (?:it )?in (?:installments|instalments|parts|chunks)\b|"
        r"\bsplit (?:the|their|its|his|her) (?:balance|invoices?|debt)\b|\bratenzahlung\w*|"
        r"\bratenplan\b|\braten\b|\bzahlungsplan\b|\bech[ea]ancier\b|\bplan de pagos?\b|"
        r"\bcuotas\b|\ba plazos\b",
        negatable=False,
    ),
    *cue("payment_plan", 1.0, r"\bplan\b", negatable=False),
    *cue(
        "payment_plan",
        2.5,
        r"\b(?:\d+|a few|several|two|three|four|five|six|twelve) (?:more )?(?:months|weeks) to "
        r"pay\b|\bpropose (?:something|a plan|an arrangement|terms)\b",
        negatable=False,
    ),
    *cue(
        "payment_plan",
        1.5,
        r"\bset (?:that|it|this|one) up\b|\b(?:arrange|schedule) (?:that|it|this)\b",
        negatable=False,
    ),
    *cue(
        "payment_plan",
        0.9,  # a split alone is a promise to record; with "set that up" it is a plan
        r"\b(?:half|part|some|\d+ ?%|a third) (?:now|today|on|by|in|at|this)\b.{0,40}?\b(?:(?:the "
        r")?(?:other|second|remaining) half|half|the rest|the remainder|the balance)\b",
        negatable=False,
    ),
    *cue(
        "record_promise",
        2.0,
        r"\b(?:wire|payment|check|cheque|transfer|ach|funds|money)\b.{0,15}?\b(?:goes out|will go "
        r"out|going out|is coming|will come|will arrive|will land|lands|arrives|is scheduled|"
        r"scheduled for)\b",
        negatable=False,
    ),
    *cue(
        "record_promise",
        2.0,
        r"\bpromise (?:of|to pay|for)\b|\bpromis(?:ed|es to|ing)\b|\bcommitted to (?:pay|paying)\b|\bagreed to pay\b|\bsaid "
        r"(?:they|she|he|it)(?:'ll| will| would| are going to) pay\b|\b(?:record|log|note|add|"
        r"register) (?:a |the |their )?(?:promise|ptp|commitment)\b|\bptp\b|\bzugesagt\b|"
        r"\bversprochen\b|\bzahlungszusage\b|\bpromesse\b|\bpromet\w*|\bprometi\w*|\bpromesa\b",
        negatable=False,
    ),
    *cue(
        "record_promise",
        1.0,
        r"\b(?:will|'ll|going to) pay\b|\bpays\b|\bto pay on\b",
        negatable=False,
    ),
    *cue(
        "record_promise",
        2.0,
        r"\b(?:record|log|note|register)\b.{0,40}?\bpa(?:y|ys|ying)\b",
        negatable=False,
    ),
    *cue(
        "apply_payment",
        3.4,
        r"\b(?:apply|allocate|post|match)\b.{0,60}?\b(?:payment|transfer|wire|receipt|deposit|ach|"
        r"cheque|check|remittance|credit)\b|\b(?:payment|transfer|wire|receipt|deposit)\b.{0,60}?"
        r"\b(?:apply|allocate|post)\b.{0,5}\bto\b|\b(?:zahlung|eingang)\b.{0,40}\bzuordnen\b|"
        r"\bimputer\b.{0,40}\b(?:paiement|virement)\b|\baplicar\b.{0,40}\b(?:pago|transferencia)\b",
        negatable=False,
    ),
    *cue(
        "disputes",
        3.2,
        r"\b(?:open|current|outstanding|active|pending|any|all|list (?:the |all )?)\s*disputes\b|"
        r"\bdisputed invoices\b|\b(?:who|which (?:customers?|accounts?|clients?|invoices?)) "
        r"(?:has |have |are |is )?(?:an? )?(?:open )?disput\w*|\bdisputes? (?:open|outstanding|"
        r"pending)\b|\boffene reklamationen\b|\blitiges en cours\b|\bdisputas abiertas\b|"
        r"\bcontestazioni aperte\b|\bopenstaande geschillen\b",
        negatable=False,
    ),
    *cue(
        "promises_due",
        3.0,
        r"\bpromises? (?:falling|coming|becoming|that fall|that come) due\b|"
        r"\bptps? (?:due|coming|expiring|today|tomorrow|this|pending|open|broken|kept)\b|\b(?:any|"
        r"open|due|upcoming|broken|pending) ptps?\b|"
        r"\b(?:next|upcoming|pending|open|outstanding|latest|last) promised\b|\bwhen (?:is|was|"
        r"will|are) .{0,30}promis\w*|\bpromised (?:payments|dates)\b|"
        r"\b(?:who|which (?:customers?|accounts?|clients?)) (?:has |have )?promised\b|\b(?:list|show|"
        r"all|review) (?:the |our |open )?promises\b|"
        r"\bpromises? (?:(?:to pay )?(?:are |that are )?(?:due|coming|expiring|for (?:this|next|"
        r"today)|this week|today|overdue|broken|kept|pending|outstanding|open))\b|\b(?:due|"
        r"upcoming|open|broken|outstanding|pending|active|expiring|current) (?:payment )?"
        r"promises\b|\bany (?:payment )?promises\b|\bpromises? coming up\b|\bzahlungszusagen\b|"
        r"\bpromesses (?:de paiement)?\b|\bpromesas (?:de pago)?\b",
        negatable=False,
    ),
    *cue(
        "draft_reminders",
        2.0,
        r"^\W*(?:email|e-mail|mail|message|write to|ping|contact|reach out to)\b|"
        r"\bremind\w*|\bnudge\b|(?<!from )(?<!at )(?<!with )(?<!via )\bchase\b|\bchasing\b|\bfollow[- ]?up\b|\bdun\b|\bdunning "
        r"(?:letter|email|notice)s?\b|\bcollection (?:emails?|letters?|notices?)\b|\bpast[- ]due "
        r"(?:notices?|letters?|emails?)\b|\b(?:draft|write|compose|prepare|send) (?:a |an |the |"
        r"some )?(?:final |friendly |polite |firm |formal |second |first |last )?(?:notices?|letters?|"
        r"emails?|messages?)\b|\b(?:draft|write|compose|prepare|send) (?:a |an |the |"
        r"some )?(?:emails?|letters?|notes?|messages?|notices?)\b|\bmahnung\w*|\berinnerung\w*|"
        r"\bzahlungserinnerung\w*|\brelance\w*|\brelancer\b|\brappel\w*|\brecordatorio\w*|"
        r"\breclamar\b",
        negatable=False,
    ),
    *cue(
        "oldest_invoice",
        2.5,
        r"\boldest\b|\bearliest\b|\blongest (?:outstanding|overdue|open|unpaid)\b|\bmost overdue\b|"
        r"\baltest\w*|\bplus ancienne?\b|\bmas antigu[oa]\b|\boudste\b|\bpiu vecchi[ao]\b",
        negatable=False,
    ),
    *cue(
        "timeline",
        2.5,
        r"\bwhat did we (?:last )?(?:send|say|write|email)\b|"
        r"\bstory\b|\bwhat(?:'s| is) (?:going on|happening|up) with\b|\bstatus (?:of|on|with)\b|"
        r"\bsituation (?:with|at)\b|\banything new\b|\bany (?:news|updates?|word|reply|replies|response)\b|\bnews from\b|"
        r"\bheard anything\b|\bupdate on\b|\blatest (?:on|from|with)\b|"
        r"\bwhat did (?:they|he|she|[\w']+) (?:say|reply|respond|write|answer|tell)\b|\blast "
        r"(?:time|reply|response|answer|conversation|exchange|heard)\b|\b(?:reply|response) "
        r"from\b|\bheard (?:back )?from\b|"
        r"\btimeline\b|\bhistory\b|\bwhat happened\b|\b(?:everything|all|what|anything) "
        r"(?:we(?:'ve| have)?|you(?:'ve| have)?) (?:sent|said|told|emailed)\b|\b(?:last|latest|"
        r"previous|past) (?:emails?|contacts?|reminders?|messages?|touch(?:es|points?)?)\b|"
        r"\b(?:emails?|messages?|reminders?) (?:we )?sent to\b|\bactivity\b|\bcommunications?\b|"
        r"\binteractions?\b|\bcorrespondence\b|\bverlauf\b|\bhistorie\b|\bchronolog\w*|"
        r"\bhistorique\b|\bhistorial\b|\bcronologia\b|\b(?:recent|latest) (?:emails|contact|"
        r"touches)\b",
        negatable=False,
    ),
    *cue(
        "top_debtors",
        2.5,
        r"\bwho should (?:i|we) (?:call|chase|contact|focus on|prioriti[sz]e)\b|\bprioriti[sz]\w*|"
        r"\bwhere should (?:i|we) (?:start|focus)\b|"
        r"\bwho(?:'?s|se| is| are)? (?:\S+ )?(?:late|overdue|behind|past[- ]due|delinquent|slow)\b|"
        r"\brank\w*|\bsort(?:ed)? by\b|\border(?:ed)? by\b|\bleaderboard\b|\bby (?:overdue |open "
        r"|outstanding )?balance\b|"
        r"\btop \d*\s*(?:debtors|customers|accounts|balances|exposures|owers|offenders)?\b|"
        r"\b(?:biggest|largest|highest|worst|slowest) (?:\S+ ){0,2}?(?:debtors?|customers?|accounts?|"
        r"balances?|exposures?|payers?|offenders?)\b|\b(?:who|which (?:customers?|accounts?|clients?)) owes? (?:us )?(?:the )?most\b|\bowes? the most\b|"
        r"\bdebtors\b|\bgrosste\w* schuldner\b|\bplus gros (?:debiteurs|clients)\b|\bmayores "
        r"deudores\b",
        negatable=False,
    ),
    *cue(
        "aging",
        2.5,
        r"\bby age\b|\bhow old\b.{0,20}\b(?:receivables|debts?|invoices|balances?)\b|\bage "
        r"(?:analysis|profile|breakdown|distribution)\b|"
        r"\bag(?:e)?ing\b|\baged (?:receivables|debt|report|trial balance|ar)\b|\bbuckets?\b|"
        r"\bar report\b|\breceivables report\b|\bdso\b|\bdays sales outstanding\b|"
        r"\baltersstruktur\b|\bfalligkeitsanalyse\b|\bbalance agee\b|\bantiguedad de saldos\b",
        negatable=False,
    ),
    *cue(
        "open_items",
        1.6,
        r"\b(?:list|show|give me|pull(?: up)?|get|see)\b.{0,30}?\binvoices\b|\bopen (?:stuff|"
        r"things|ones|balances?|amounts)\b|\bwhat(?:'s| is) (?:still )?(?:open|unpaid|outstanding)\b|\bposten\b.{0,30}"
        r"\boffen\b|\b(?:postes?|partidas?) (?:ouverts?|abiertas?)\b|"
        r"\b(?:open|overdue|past[- ]due|late|unpaid|outstanding|due) (?:items|invoices|invs?|bills|"
        r"receivables|amounts|entries|documents|posts)\b|\b(?:hasn't|haven't|has not|have not|not "
        r"yet|yet to be|still not) (?:been )?paid\b|\bnicht bezahlt\b|\bimpayee?s?\b|\bsin "
        r"pagar\b|\bpendientes? de pago\b|\bno (?:ha|han) pagado\b|"
        r"\bopen (?:items|invoices|bills)\b|\bunpaid\b|\boutstanding invoices\b|\b(?:which|what|"
        r"list|show|all)(?: me)? (?:the |their |its |of the )?invoices\b|\binvoices (?:are |that "
        r"are )?(?:still )?(?:open|outstanding|unpaid|overdue|due|late)\b|\b(?:overdue|past[- ]due|"
        r"late) invoices\b|\boffene\w* (?:posten|rechnungen)\b|\buberfallig\w*|\bunbezahlt\w*|"
        r"\bfactures (?:ouvertes|impayees|en retard|en souffrance)\b|\bimpayes\b|\bfacturas "
        r"(?:pendientes|abiertas|vencidas|impagadas)\b|\brechnungen\b",
        negatable=False,
    ),
    *cue(
        "balance",
        1.5,
        r"\bwhere are we (?:with|on|at)\b|\bar\b|\ba/r\b|\breceivables?\b|\bowe[sd]?\b|\bowing\b|\bbalance\b|\bhow much\b|\b(?:how far )?behind\b|"
        r"\barrears\b|\bruckstand\w*|\bretard de paiement\b|\batrasad[oa]s?\b|\bsitting at\b|\bwhere (?:do|does|are|is) "
        r"(?:we|they|[\w']+) stand\b|\bstanding (?:with|of)\b|\bposition (?:with|of|on)\b|"
        r"\bwhat(?:'s| is) (?:the )?(?:damage|total)\b|\boutstanding\b|\btotal (?:due|open|"
        r"outstanding)\b|\bamount (?:due|outstanding|open)\b|\bexposure\b|\bschulde\w*|\boffene\w* "
        r"betrag\b|\bsaldo\b|\bwie ?viel\b|\bcombien\b|\bdoit\b|\bsolde\b|\bcuanto\b|\bdebe\b|"
        r"\badeuda\b|\bverschuldigd\b|\bhoeveel\b",
        negatable=False,
    ),
]

# Requests that name a specific action win ties against generic lookups.
SPECIFICITY = (
    "write_off",
    "help",
    "approvals_pending",
    "dunning_run",
    "match_bank_file",
    "escalate",
    "update_contact",
    "hold_dunning",
    "open_dispute",
    "payment_plan",
    "apply_payment",
    "disputes",
    "promises_due",
    "record_promise",
    "draft_reminders",
    "oldest_invoice",
    "timeline",
    "top_debtors",
    "aging",
    "open_items",
    "balance",
    "greeting",
)
