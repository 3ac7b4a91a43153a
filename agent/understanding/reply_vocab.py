"""Cue vocabulary for customer replies (EN, DE, FR, ES, with NL/IT basics).

Patterns run on folded text (lower case, no accents: "überwiesen" is "uberwiesen",
"réglé" is "regle"). Labels are the reply intents plus three helper labels resolved in
``replies``: ``refuse`` (a negated promise: "we will not pay", "can't pay until ..."),
``not_received_invoice`` and ``hardship``. Tags carry the dispute reason or document
kind. Weights: 2+ is a decisive phrase, ~1 a clear cue, below 1 a hint that needs
company (a date, a second cue) to count.
"""

from __future__ import annotations

from agent.understanding._cues import Cue, cue
from agent.understanding._text import NUMBER

_N = NUMBER
_PAY_EN = (
    r"(?:pay|paying|settle|settling|remit|remitting|wire|wiring|transfer|transferring|"
    r"(?:do|effect|make|effectuate) (?:the |a |our )?(?:payment|transfer|remittance)|"
    r"sort (?:it|this|that|them) out|get (?:it|this|that) sorted|deal with (?:it|this|that)|"
    r"re-?(?:issue|submit|initiate|run|process|do|wire|transfer) (?:it|this|that|them|the "
    r"(?:payment|wire|transfer|check|cheque|ach))|"
    r"clear|clearing|send (?:out )?(?:the |a |our |your )?(?:payment|funds|money|check|cheque|"
    r"wire|remittance|transfer|ach)|process (?:the |your )?(?:payment|invoice)|release "
    r"(?:the )?(?:payment|funds)|issue (?:the |a )?(?:payment|check|cheque)|cut (?:a |the )?"
    r"(?:check|cheque)|mail (?:a |the )?(?:check|cheque)|make (?:the |a )?payment|get "
    r"(?:it|this|that|them|these|those|the \w+|invoice \S+|inv\S*|\S+) paid|take care of "
    r"(?:it|this|that|the))"
)
_PAY_DE = (
    r"(?:zahlen|bezahlen|begleichen|uberweisen|anweisen|ausgleichen|uberwiesen|bezahlt|"
    r"beglichen|angewiesen|ausgeglichen|gezahlt|veranlassen|freigeben|uberweisung)"
)
_PAY_FR = (
    r"(?:payer|regler|virer|verser|solder|acquitter|proceder au (?:paiement|reglement|virement)|"
    r"effectuer (?:le|un) (?:paiement|reglement|virement)|faire (?:le|un) (?:paiement|virement))"
)
_PAY_ES = (
    r"(?:pagar|abonar|transferir|liquidar|saldar|cancelar (?:la|el) (?:factura|saldo)|"
    r"(?:realizar|hacer|efectuar|enviar) (?:el|la|un|una) (?:pago|transferencia|abono))"
)

PROMISE: list[Cue] = [
    *cue(
        "promise_to_pay",
        1.0,
        r"\bat the latest\b|\bno later than\b|\bspatestens\b|\bau plus tard\b|\ba mas tardar\b|"
        r"\bcomo muy tarde\b|\buiterlijk\b|\bal piu tardi\b|\bentro e non oltre\b",
        negatable=False,
    ),
    *cue(
        "promise_to_pay",
        0.6,
        r"\b(?:need|needs|give us|a) (?:a few|a couple of|some|few|\d+) more (?:days|weeks|time)\b",
        negated="refuse",
    ),
    *cue(
        "promise_to_pay",
        0.6,
        r"\b(?:paying|settling|wiring|remitting|transferring|sending (?:the |a |our )?(?:payment|"
        r"wire|check|cheque|funds))\b|\b(?:aim(?:ing)?|target(?:ing)?|plan(?:ning)?|look(?:ing)? "
        r"at|hoping|shooting|pencil(?:l?ed|ing)? in) (?:for )?(?:a |the )?payment\b",
        negated="refuse",
    ),
    *cue(
        "promise_to_pay",
        1.6,
        r"\b(?:zahlung|uberweisung|geld|betrag|uberweisung)\s+(?:kommt|folgt|geht raus|wird "
        r"kommen)\b|\b(?:le paiement|le virement|l'argent) (?:arrive|suit|viendra)\b|\b(?:el "
        r"pago|la transferencia|el dinero) (?:llega|llegara|viene)\b",
        negated="refuse",
    ),
    *cue(
        "promise_to_pay",
        1.6,
        r"\b(?:put|added|add|adding|included?|entered|booked|scheduled|queued|lined up|released|"
        r"approved|earmarked|slotted)\b.{0,50}?\b(?:payment (?:proposal|run|batch|cycle|list|"
        r"schedule|file)|pay ?runs?|check runs?|cheque runs?|ach runs?|wire runs?|next runs?|"
        r"zahlungsvorschlag|zahll?auf|zahlungslauf)\b",
        r"\b(?:expect|look out for|watch for|you(?:'ll| will| should) see|should (?:arrive|land|"
        r"reach you|hit)|will (?:arrive|land|reach you|hit))\b.{0,25}?\b(?:the |our |a |your )?"
        r"(?:wire|payment|check|cheque|funds|money|transfer|ach|remittance|deposit)\b",
        r"\b(?:program\w*|planifi\w*|previst[oa]|prevu\w*|agendad[oa]|eingeplant|terminiert|"
        r"vorgemerkt|vorgesehen)\b.{0,30}?\b(?:pago|paiement|virement|reglement|zahlung|"
        r"uberweisung|transferencia|abono)\b",
        r"\b(?:pago|paiement|virement|reglement|zahlung|uberweisung|transferencia|abono)\b.{0,30}?"
        r"\b(?:program\w*|planifi\w*|previst[oa]|prevu\w*|agendad[oa]|eingeplant|terminiert|"
        r"vorgemerkt)\b",
        negated="refuse",
    ),
    *cue(
        "promise_to_pay",
        1.6,
        r"\b(?:check|cheque|payment|wire|money|funds|transfer|remittance|ach)(?:'s| is| are| will "
        r"be| should be)? (?:going|goes|will go|heading|getting sent|being sent|being processed) "
        r"(?:out|in the (?:post|mail)|to you|your way|through)\b",
        r"\b(?:el pago|la transferencia|el dinero|el abono)\s+(?:sale|saldra|se hace|se hara|"
        r"llega|llegara|se envia|se enviara)\b|\b(?:le|te|les)\s+(?:pagamos|pago|transferimos|"
        r"abonamos)\b",
        r"\b(?:le paiement|le virement|le reglement|le cheque)\s+(?:part|partira|arrive|"
        r"arrivera|est envoye)\b|\b(?:on|nous|je)\s+(?:vous\s+)?(?:regle|reglons|paie|payons|"
        r"paye|vire|virons|verse|versons)\b",
        r"\b(?:die zahlung|die uberweisung|das geld)\s+(?:geht|kommt|wird)\b.{0,30}?\b(?:raus|"
        r"an|ausgefuhrt|uberwiesen)\b|\b(?:paghiamo|saldiamo|bonifichiamo)\b",
        negated="refuse",
    ),
    *cue(
        "promise_to_pay",
        1.6,
        r"\b(?:will|'ll|shall|going to|gonna|plan(?:ning)? to|intend(?:ing)? to|expect(?:ing)? to|"
        r"aim(?:ing)? to|hope to|hoping to|try(?:ing)? to|be able to|able to|want to|about to|"
        r"promise to|commit to|can|could|should|would|can't|cannot|couldn't|won't)\s+"
        r"(?:[\w']+\s+){0,3}?" + _PAY_EN + r"\b",
        r"\b(?:payment|transfer|wire|remittance)\b[^.?!]{0,30}?\b(?:is|has been|are|have been) "
        r"(?:scheduled|planned|set|queued|approved|booked|slated|earmarked|lined up|due to go)\b|"
        r"\b(?:payment|transfer|wire|remittance)\b[^.?!]{0,30}?\bwill (?:be|go|follow|arrive)\b|"
        r"\bpayment (?:will|should|shall|is going to|is scheduled|is planned|is expected|"
        r"has been scheduled|is set|is due to go|will go|goes|is queued|is approved)\b",
        r"\b(?:will|should|shall|'ll|is going to|to) be (?:paid|settled|wired|transferred|remitted|"
        r"processed|released|cleared|sent|mailed|issued|made)\b",
        r"\b(?:scheduled|queued|approved|set up|lined up|earmarked|slated|booked)\b.{0,30}?"
        r"\b(?:payment|pay run|check run|payment run|batch|ach|wire|for (?:payment|release))\b",
        r"\b(?:next|our|the|this week's|weekly|upcoming) (?:payment|pay|check|cheque|ach|wire|"
        r"payables?) (?:run|batch|cycle|release)\b",
        r"\b(?:wire|ach|check|cheque|payment|transfer|funds|money) (?:goes|will go|is going|"
        r"should go|will be going|is scheduled to go) out\b",
        r"\byou(?:'ll| will| should) (?:have|get|receive|see) (?:it|the payment|payment|the "
        r"funds|funds|the money|your money|the wire|a check|the check)\b",
        r"\b(?:we|i) promise\b",
        negated="refuse",
    ),
    *cue(
        "promise_to_pay",
        0.6,
        r"\b(?:we|i|they|accounting|finance|ap)\s+(?:[\w']+\s+){0,2}?(?:pay|settle|wire|remit|"
        r"transfer)\b(?! (?:you|us) back)",
        negated="refuse",
    ),
    # Implicit: "our AP run is Thursdays, you'll be in this week's", "you're on the list".
    *cue(
        "promise_to_pay",
        1.6,
        r"\byou(?:'ll| will|'re| are| should be)? (?:be )?(?:in|on|included in|part of|added to) "
        r"(?:this|next|the next|our next|our|tomorrow's|today's|friday's|this week's|next week's)"
        r"(?: week's| weeks| month's)? ?(?:run|batch|cycle|list|payment|payments|pay run|check run|"
        r"release|one)?\b(?! (?:of|for) (?:invoices|disputes))",
        r"\b(?:ap|a/p|payables?|pay|payment|check|cheque|ach|wire|zahl|payment proposal) ?(?:runs?|"
        r"batch(?:es)?|cycles?)\b.{0,20}?\b(?:is|are|runs?|happens?|goes|go|on|every)\b.{0,12}?\b"
        r"(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|weekly|biweekly|monthly|tomorrow|"
        r"this week|next week|\d{1,2}(?:st|nd|rd|th)?)\b",
        negated="refuse",
    ),
    # "We told you it's scheduled for the 28th": "it" is the payment in a reply to a reminder.
    *cue(
        "promise_to_pay",
        1.6,
        r"\b(?:it's|it is|its|it was|it has been|it's been|this is|that's|that is|they're|they "
        r"are|both are|all are|everything is) (?:already |now |all )?(?:scheduled|booked|queued|"
        r"planned|slated|lined up|earmarked|approved|set)(?: (?:for|to go out) (?:payment|release"
        r"))? (?:for|on|to go out)\b",
        r"\b(?:it|this|that|they)(?:'ll| will| should| is going to) (?:go out|be out|hit your "
        r"account|reach you|land|arrive|clear)\b",
        negated="refuse",
    ),
    *cue(
        "promise_to_pay",
        1.6,
        r"\b(?:it's|it is|its|payment is|they're|they are|invoice is|invoices are|this is|"
        r"everything is) (?:currently |now |already |still )?(?:being|in the process of being) "
        r"(?:processed|paid|approved|released|actioned|handled|prepared)\b|\b(?:payment|invoice|"
        r"it) is (?:now |currently )?in (?:process|processing|progress|the (?:approval|payment) "
        r"(?:queue|workflow|process)|approval)\b",
        negated="refuse",
    ),
    # Delegated: "I've asked our AP team to process it this week".
    *cue(
        "promise_to_pay",
        1.6,
        r"\b(?:asked|told|instructed|requested|reminded|chased|pinged|emailed|escalated to)\s+"
        r"(?:our |the |my )?(?:ap|a/p|accounts payable|payables|finance|accounting|treasury|"
        r"controller|cfo|bookkeeper|accountant|payments?)(?: team| department| dept| people| "
        r"colleagues)?\s+to\s+(?:\w+\s+)?(?:process|pay|release|settle|prioriti[sz]e|expedite|"
        r"approve|schedule|wire|transfer|issue|cut|push)\b",
        negated="refuse",
    ),
    # Sentence-initial telegraphic past: "Sent you a check for $4,500 last Thursday".
    *cue(
        "claims_paid",
        2.0,
        r"^\W*(?:(?:just|already|have|we've|i've)\s+)?(?:sent|mailed|posted|wired|transferred|"
        r"transfered|remitted|dispatched|issued|cut|released|initiated)\s+(?:you\s+|it\s+|over\s+|"
        r"out\s+)?(?:the |a |an |our |your |full )?(?:payment|check|cheque|wire|transfer|funds|"
        r"money|ach|remittance|[$€£]\s?\d)",
        negated=None,
    ),
    # "will send yours tomorrow": a pronoun for the money; needs a date to count.
    *cue(
        "promise_to_pay",
        0.6,
        r"\b(?:will|'ll|going to|gonna|shall)\s+(?:send|get|have|wire|transfer|mail|post|release)"
        r"\s+(?:yours|it|them|this|that|the rest|the balance|the money|the funds|the remainder)\b"
        r"(?! (?:over |across |along |through )?to (?!you\b))",
        negated="refuse",
    ),
    # German: modal/future + payment verb, or "Zahlung erfolgt/folgt".
    *cue(
        "promise_to_pay",
        1.6,
        r"\b(?:werden|wird|werde|wollen|mochten|mochte|konnen|koennen|planen|beabsichtigen)\b"
        r".{0,60}?\b" + _PAY_DE + r"\b",
        r"\b(?:zahlung|uberweisung|begleichung|uberweisung|uberweisungsauftrag)\b(?!.{0,25}"
        r"\b(?:ist|wurde|war)\b).{0,40}?\b(?:erfolgt|folgt|erfolgen|geht .{0,20}raus|"
        r"geplant|vorgesehen|terminiert|eingeplant|veranlasst (?:werden|wir))\b",
        r"\b(?:zahlen|bezahlen|uberweisen|begleichen|uberweisen) wir\b",
        negated="refuse",
    ),
    *cue(
        "promise_to_pay",
        0.6,
        r"\b(?:we|wij|ik)\s+(?:betalen|betaal|voldoen)\b|\bnous (?:payons|reglons|virons|"
        r"versons)\b|\b(?:will|'ll|shall|going to) do (?:so|it|that|this)\b",
        negated="refuse",
    ),
    *cue(
        "promise_to_pay",
        0.6,
        r"\bwir (?:zahlen|bezahlen|uberweisen|begleichen)\b",
        negated="refuse",
    ),
    # French: aller + infinitive, future tense, "sera réglé".
    *cue(
        "promise_to_pay",
        1.6,
        r"\b(?:allons|vais|va|allez|pourrons|pourrions|comptons|prevoyons|souhaitons|devrions|"
        r"pouvons|devons|vont)\b.{0,40}?\b" + _PAY_FR + r"\b",
        r"\b(?:paierons|payerons|paierai|payerai|reglerons|reglerai|virerons|verserons|"
        r"effectuerons|procederons|solderons|enverrons le (?:paiement|virement|cheque))\b",
        r"\b(?:paiement|reglement|virement|versement|cheque)\b.{0,40}?\b(?:sera|seront|va etre|"
        r"interviendra|partira|est prevu|est programme|est planifie|part)\b",
        r"\bsera (?:paye|payee|regle|reglee|vire|viree|verse|versee|effectue|effectuee|solde|"
        r"soldee)\b",
        negated="refuse",
    ),
    # Spanish: ir a + infinitive, future tense, "se pagará".
    *cue(
        "promise_to_pay",
        1.6,
        r"\b(?:vamos a|voy a|va a|van a|podemos|podremos|queremos|esperamos|planeamos|pensamos|"
        r"intentaremos|tenemos previsto|prevemos)\b.{0,30}?\b" + _PAY_ES + r"\b",
        r"\b(?:pagaremos|pagare|abonaremos|transferiremos|liquidaremos|saldaremos|"
        r"(?:realizaremos|haremos|efectuaremos|enviaremos) (?:el |la |un |una )?(?:pago|"
        r"transferencia|abono))\b",
        r"\b(?:el pago|la transferencia|el abono)\b.{0,30}?\b(?:se realizara|sera|se hara|"
        r"se efectuara|saldra|esta programad[oa]|esta previst[oa])\b",
        r"\bse (?:pagara|abonara|transferira|liquidara)\b",
        negated="refuse",
    ),
    # Dutch and Italian basics.
    *cue(
        "promise_to_pay",
        1.6,
        r"\b(?:zullen|gaan|zal|ga)\b.{0,30}?\b(?:betalen|overmaken|voldoen)\b",
        r"\bwordt .{0,20}(?:betaald|overgemaakt|voldaan)\b",
        r"\b(?:pagheremo|paghero|salderemo|effettueremo|verseremo)\b",
        r"\b(?:sara|verra) (?:pagat[ao]|saldat[ao]|effettuat[ao])\b",
        negated="refuse",
    ),
]

CLAIMS_PAID: list[Cue] = [
    *cue(
        "claims_paid",
        2.0,
        r"\b(?:avons|ai|a|ont)\s+(?:deja\s+|bien\s+)?(?:effectue|realise|emis|envoye|execute|fait|"
        r"lance|passe|ordonne)\w*\s+(?:le |un |notre |votre |la )?(?:virement|paiement|reglement|"
        r"versement|transfert)\b",
        r"\b(?:hemos|he|ha|han)\s+(?:ya\s+)?(?:realizado|efectuado|hecho|enviado|emitido|ordenado|"
        r"cursado)\s+(?:el |la |un |una |nuestro |nuestra )?(?:pago|transferencia|abono|ingreso)\b",
        r"\b(?:haben|habe|hat)\b.{0,30}?\b(?:uberweisung|zahlung)\b.{0,20}?\b(?:getatigt|"
        r"ausgefuhrt|veranlasst|vorgenommen|angestossen|durchgefuhrt)\b",
        negated=None,
    ),
    *cue(
        "claims_paid",
        2.0,
        r"\b(?:we|i|they|accounting|finance|treasury|our (?:team|bank|ap|office))\s+(?:[\w']+\s+)"
        r"{0,2}?(?:sent|sended|mailed|posted|wired|transferred|transfered|remitted|issued|dispatched|"
        r"released|made|maked|initiated|couriered|deposited|paid|payed|did)\s+(?:you\s+|to you\s+|over\s+|out\s+|off\s+)?(?:the |"
        r"a |our |an |your |full |this )?(?:[\w-]+\s+)?(?:payment|cheque|check|wire|transfer|ach|"
        r"funds|money|remittance|deposit|amount|sum|balance)\b",
        r"(?:[$€£]\s?)?\d[\d,.']*\s?(?:usd|eur|gbp|chf|cad|\$|€|£|dollars|euros)?\s+(?:was |were |"
        r"has been |have been )?(?:sent|paid|wired|transferred|remitted|released|credited|"
        r"uberwiesen|bezahlt|vire|paye|transferidos?|pagados?)\b(?! (?:by|on|next|tomorrow|once))",
        r"^\W*remittance advice\b|\bremittance advice\s*:",
        r"^\W*(?:remittance|payment advice|zahlungsavis|avis de (?:paiement|virement)|aviso de "
        r"(?:pago|transferencia))(?: advice| details| notice| information)?\W*$|\b(?:total|amount|"
        r"sum|net) (?:paid|remitted)\s*:|\b(?:ach|wire|swift) (?:trace|ref(?:erence)?|"
        r"confirmation)(?: no\.?| number| #)?\s*:?\s*[a-z]*\d{4,}",
        negated=None,
    ),
    *cue(
        "claims_paid",
        2.0,
        r"\b(?:hice|hicimos|mande|mandamos|envie|enviamos|realice) (?:la|el) (?:transferencia|pago|"
        r"abono)\b|\bya (?:te |le |les |os )?(?:hice|hicimos|pague|pagamos|transferi|transferimos|"
        r"mande|mandamos|deposite|depositamos|abone|abonamos)\b|\b(?:te|le|les|os) (?:pague|transferi|"
        r"abone|deposite|depositamos)\b",
        negated=None,
    ),
    # Presupposed payments and "from our side" claims: "the money we transferred on the 19th",
    # "all sorted on our end", "should be with you by now".
    *cue(
        "claims_paid",
        1.6,
        r"\b(?:the|our|my) (?:payment|money|funds|wire|transfer|check|cheque|amount|ach|"
        r"remittance)s?\s+(?:that\s+)?(?:we|i)\s+(?:already\s+|just\s+)?(?:sent|sended|made|"
        r"transferred|transfered|paid|payed|wired|mailed|remitted|did|posted|released)\b",
        r"\bshould (?:be with you|be in your (?:account|bank)|have (?:arrived|reached you|landed|"
        r"cleared|hit your account|come through|been received|been credited))(?: by now| already)"
        r"?\b",
        r"\b(?:all |it's |its |it is |it was |everything is |everything was )?(?:sorted|done|taken "
        r"care of|handled|settled|paid) (?:on|from) (?:our|my) (?:end|side)\b",
        negated=None,
    ),
    # A short payment is still a payment: "short-paid by $15 (bank charges)".
    *cue(
        "claims_paid",
        2.0,
        r"\b(?:short[- ]?paid|underpaid|paid short|paid (?:\S+ )?less)\b|\b(?:bank|wire|transfer) "
        r"(?:charges?|fees?) (?:were |was )?deducted\b",
        negated=None,
    ),
    # "payment is done by our bank already" (non-native), "the transfer already left".
    *cue(
        "claims_paid",
        1.6,
        r"\b(?:payment|transfer|wire|check|cheque|funds|money|remittance|ach)\b(?![^.?!]{0,40}?\b"
        r"(?:schedul|plan|approv|queu|book|set up|will|going to|be process|on hold)\w*)[^.?!]{0,30}?"
        r"\balready\b(?![^.?!]{0,20}?\b(?:schedul|plan|approv|queu|book|set up|in process)\w*)",
        negated=None,
    ),
    *cue(
        "claims_paid",
        1.6,
        r"\b(?:is|are) (?:already )?on (?:its|their|the) way\b|\bleft our (?:account|bank)\b|"
        r"\b(?:debited|deducted|withdrawn) from our (?:account|bank)\b|\bvon unserem konto "
        r"abgebucht\b|\bdebite de notre compte\b|\bcargad[oa] en nuestra cuenta\b",
        negated=None,
    ),
    *cue(
        "claims_paid",
        2.0,
        r"\b(?:have|has|had|'ve|we|i)\s+(?:just |already )?(?:initiated|instructed|ordered|"
        r"authori[sz]ed|submitted|released|executed|processed)\b.{0,20}?\b(?:wire|transfer|"
        r"payment|ach|remittance)\b|\b(?:hemos|he|ha)\s+(?:ordenado|emitido|enviado|cursado|"
        r"dado orden de|realizado)\b.{0,20}?\b(?:transferencia|pago|abono)\b|\b(?:uberweisung|"
        r"zahlung)\b.{0,30}?\bin auftrag gegeben\b|\b(?:avons|ai) (?:emis|ordonne|lance)\b"
        r".{0,20}?\b(?:virement|paiement)\b|"
        r"\b(?:have|has|had|'ve|was|were|been|already|just)\s+(?:[\w']+\s+){0,2}?(?:paid|payed|"
        r"settled|remitted|wired|transferred|transfered|cleared|sended|sent (?:the |a |our |you |over )?(?:payment|funds|"
        r"money|wire|check|cheque|ach|remittance|transfer)|mailed (?:the |a |our )?(?:check|"
        r"cheque|payment)|processed (?:the |your )?payment|released (?:the )?payment|taken care "
        r"of|made (?:the |a |our |full )?payment)\b",
        r"\b(?:we|i)\s+(?:[\w']+\s+){0,1}?(?:paid|settled|remitted|wired|transferred|sent (?:the |a |"
        r"our |you )?(?:payment|funds|money|wire|check|cheque|ach)|mailed (?:the |a |our )?"
        r"(?:check|cheque)|made (?:the |a |our )?payment|processed (?:the )?payment)\b",
        r"\b(?:payment|zahlung|uberweisung|paiement|virement|pago|transferencia|betaling|"
        r"pagamento|bonifico) (?:was|has been|had been|went|is) (?:\w+ ){0,2}?(?:made|sent|issued|"
        r"released|"
        r"processed|initiated|remitted|wired|mailed|out|through|done|completed|submitted|"
        r"executed|paid)\b",
        r"\b(?:wire|transfer|ach|check|cheque|funds|money|payment) (?:went out|was sent|has been "
        r"sent|cleared|was released|was processed|was deposited|was cashed)\b",
        r"\bpaid (?:in full|off|on|via|by|through|with|last|yesterday|already|it|this|that|"
        r"the|invoice|inv)\b",
        negated=None,
    ),
    *cue(
        "claims_paid",
        2.0,
        r"\b(?:if|whether) (?:you|u|your team) (?:have |has )?(?:received|got|gotten|seen|recorded|"
        r"applied)\b.{0,20}?\b(?:our |my |the )?(?:payment|wire|transfer|check|cheque|ach|funds|"
        r"money|remittance)\b|\bconfirm (?:receipt of|(?:that )?you (?:have )?received) (?:our |my |"
        r"the )?(?:payment|wire|transfer|check|cheque|funds)\b|"
        r"\b(?:did|have|has|haven't|didn't) (?:you|u|your team) (?:not )?(?:receive|get|see|"
        r"record|apply)\b.{0,20}?\b(?:our |my |the )?(?:payment|wire|transfer|check|cheque|ach|"
        r"funds|money|remittance)\b",
        r"\b(?:check|cheque|payment) (?:is|was) in the mail\b",
        negatable=False,
    ),
    *cue(
        "claims_paid",
        1.6,
        r"\b(?:wire|payment|check|cheque|ach|transfer|funds|remittance|transaction)s?\s+(?:was|were|"
        r"has been|have been|had been)\s+(?:\w+\s+)?(?:sent|initiated|released|made|issued|mailed|"
        r"submitted|executed|completed|done|effected|processed|credited|debited|booked)\b",
        r"\b(?:wire|payment|check|cheque|ach|transfer|funds|remittance|transaction)s?\s+(?:"
        r"is\s+|got\s+)?(?:sent|initiated|released|made|issued|mailed|submitted|executed|"
        r"completed|complete|done|effected|successful|processed|cut|posted|wired|dispatched)\b"
        r"(?! (?:by|on|next|tomorrow|once|when|to go))",
        negated=None,
    ),
    *cue(
        "claims_paid",
        2.0,
        r"^(?:already |bereits |schon |deja |ya )?(?:paid|bezahlt|uberwiesen|beglichen|gezahlt|"
        r"paye|payee|regle|reglee|vire|pagado|pagada|abonado|transferido|betaald|pagato|"
        r"pagata)\b(?! (?:by|bis|avant|antes))",
        negated=None,
    ),
    *cue(
        "claims_paid",
        1.0,
        r"\b(?:remittance(?: advice)?|proof of payment|payment (?:confirmation|advice|receipt)|"
        r"confirmation of payment|swift copy|mt103|wire confirmation|bank confirmation)\b"
        r".{0,20}\b(?:attached|enclosed|below|attaching)\b",
        r"\b(?:attached|enclosed|attaching)\b.{0,30}\b(?:remittance|proof of payment|payment "
        r"confirmation|swift|mt103|wire confirmation|receipt)\b",
        negated=None,
    ),
    # German
    *cue(
        "claims_paid",
        2.0,
        r"\b(?:haben|hat|habe|wurde|wurden|ist|sind|bereits|schon|gestern)\b.{0,50}?"
        r"\b(?:bezahlt|uberwiesen|ueberwiesen|beglichen|gezahlt|angewiesen|ausgeglichen|"
        r"veranlasst|ausgefuhrt)\b",
        r"\b(?:zahlung|uberweisung)\b.{0,30}?\b(?:ist|wurde|war)\b.{0,20}?\b(?:erfolgt|"
        r"ausgefuhrt|veranlasst|getatigt|eingegangen|raus|unterwegs|rausgegangen|rausgeschickt|"
        r"abgeschickt|verschickt|versendet|angewiesen)\b",
        r"\b(?:zahlungsnachweis|zahlungsbeleg|uberweisungsbeleg|zahlungsbestatigung|"
        r"uberweisungsbestatigung)\b",
        negated=None,
    ),
    # French
    *cue(
        "claims_paid",
        2.0,
        r"\b(?:avons|ai|a|ont|avez|ete|est|deja|bien)\b.{0,30}?\b(?:paye|payee|payes|payees|"
        r"regle|reglee|regles|reglees|vire|viree|verse|versee|solde|soldee|acquitte|acquittee)\b",
        r"\b(?:paiement|reglement|virement|versement|cheque)\b.{0,30}?\b(?:a ete|est|etait)\b"
        r".{0,15}?\b(?:effectue|envoye|emis|parti|execute|realise|passe|poste|expedie|mis a la poste|"
        r"depose|fait)\w*\b",
        r"\b(?:preuve|justificatif|avis|confirmation|copie) (?:de|du) (?:paiement|virement|"
        r"reglement)\b",
        negated=None,
    ),
    # Spanish
    *cue(
        "claims_paid",
        2.0,
        r"\b(?:hemos|he|ha|han|ya|fue|fueron|se)\b.{0,30}?\b(?:pagado|pagada|abonado|abonada|"
        r"transferido|transferida|liquidado|liquidada|saldado|saldada|depositado|depositada)s?\b",
        r"\b(?:factura|saldo|deuda|adeudo|importe|cuenta)s?\b.{0,30}?\b(?:fue|fueron|ha sido|han "
        r"sido|esta|estan|quedo|quedaron|ya)\b.{0,15}?\bcancelad[oa]s?\b|\bya (?:la |lo |las |los )?"
        r"(?:cancelamos|cancele|depositamos|deposite)\b",
        r"\b(?:el pago|la transferencia|el abono)\b.{0,30}?\b(?:fue|ha sido|se)\b.{0,15}?"
        r"\b(?:realizad[oa]|efectuad[oa]|enviad[oa]|hech[oa]|realizo|efectuo|hizo)\b",
        r"\b(?:transferencia|pago|abono) (?:realizad[oa]|efectuad[oa]|hech[oa]|enviad[oa])\b|"
        r"\b(?:virement|paiement|reglement) (?:effectue|realise|emis|envoye|execute)\w*|"
        r"\b(?:uberweisung|zahlung) (?:ausgefuhrt|getatigt|veranlasst|erfolgt)\b|"
        r"\b(?:comprobante|justificante|constancia|confirmacion|recibo) de (?:la |el )?(?:pago|"
        r"transferencia)\b",
        r"\bya (?:se )?(?:pago|pagamos|pague|esta pagad[oa]|transferimos|abonamos)\b",
        negated=None,
    ),
    *cue(
        "claims_paid",
        1.2,
        r"\b(?:pagamos|abonamos|transferimos|liquidamos|(?:realizamos|hicimos|efectuamos) "
        r"(?:el|la) (?:pago|transferencia))\b",
        negated=None,
    ),
    # Dutch and Italian
    *cue(
        "claims_paid",
        2.0,
        r"\b(?:is|zijn|hebben|heb|heeft|al|reeds)\b.{0,30}?\b(?:betaald|overgemaakt|voldaan)\b",
        r"\b(?:abbiamo|ho|e stato|e stata|gia)\b.{0,30}?\b(?:pagato|pagata|saldato|saldata|"
        r"bonificato|effettuato|versato)\b",
        negated=None,
    ),
]
