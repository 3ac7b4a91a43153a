"""Cue vocabulary for the non-money reply intents and flags (EN, DE, FR, ES, NL/IT basics).

Documents, contact changes, out-of-office, opt-out, insolvency, questions,
acknowledgements; plus flags that do not decide the intent: prompt-injection text
(``suspicious``), bank-detail changes, discount or fee-waiver requests, hedges.
Patterns run on folded text (see ``reply_vocab``).
"""

from __future__ import annotations

import re

from agent.understanding._cues import Cue, cue

_REQUEST = (
    r"(?:send|resend|re-send|forward|provide|share|e-?mail (?:me|us)|need|needs|require|"
    r"requires|request|requesting|get (?:me|us)|can (?:you|u|we|i) (?:get|have)|could (?:you|u|"
    r"we|i)|would you|please|pls|where can i (?:find|get)|schicken|senden|zusenden|zukommen|"
    r"ubermitteln|ubersenden|bitte|bitten|zusendung|ubersendung|ubermittlung|anfordern|"
    r"benotigen|brauchen|envoyer|renvoyer|transmettre|faire "
    r"parvenir|pourriez|pouvez|merci de|besoin|enviar|envien|envie|enviarnos|reenviar|mandar|"
    r"remitir|necesitamos|necesito|podrian|podria|por favor|favor de|sturen|toesturen|nodig|inviare|"
    r"mandare|inviarci)"
)
REQUEST_VERB = re.compile(r"\b" + _REQUEST + r"\b")

DOCUMENT: list[Cue] = [
    *cue(
        "document_request",
        1.0,
        r"\b(?:backup|back-up|supporting (?:docs?|documents?|documentation|details|paperwork)|"
        r"documentation|breakdown|itemi[sz]ed (?:list|bill|invoice|statement)|timesheets?|"
        r"proof of delivery|delivery (?:note|receipt|slip)s?|signed pod|pod|unterlagen|belege?|"
        r"nachweise?|justificatifs?|pieces justificatives|soportes?|documentacion|respaldo)\b",
        negated=None,
        tag="other",
    ),
    # "please send it to invoices@x.example", "enviarnos la factura en XML".
    *cue(
        "document_request",
        1.0,
        r"\b(?:send|resend|re-send|forward|e-?mail)\s+(?:it|this|them|these|that|those|the "
        r"invoices?|a copy|copies)\s+(?:again\s+|over\s+)?to\s+\S+@",
        r"\b(?:send|resend|forward|e-?mail|enviar\w*|reenviar\w*|mandar\w*|envoyer|renvoyer|"
        r"transmettre|schicken|senden|zusenden|ubermitteln)\b(?:\s+\w+){0,2}?\s+(?:the |la |el |"
        r"die |le |les |las |los |une |a |an |eine |our |notre |nuestra )?(?:invoices?|facturas?|"
        r"factures?|rechnung\w*|bills?)\b(?:\s+\w+){0,3}?\s+(?:en |in |au |als |as |im )?"
        r"(?:formato |format )?(?:xml|pdf|cfdi|edi|e-?invoice|ubl|zugferd|xrechnung|peppol|paper|"
        r"papier|papel|original)\b|\bcfdi\b|\bxml\b",
        negated=None,
        tag="invoice_copy",
    ),
    *cue(
        "document_request",
        2.0,
        r"\b(?:copy|copies|duplicate|pdf|scan|reprint) of (?:the |this |that |our |your |all |"
        r"these |those )?(?:invoices?|bills?|inv\b)",
        r"\b(?:invoices?|bill|copy|copies|pdf|statement|attachment|document)s? (?:over )?again\b|"
        r"\b(?:send|enviar|mandar|envoyer|schicken|senden|sturen|reenviar)\w*\b.{0,20}?\b(?:invoice|"
        r"factura|facture|rechnung|factuur|fattura)\b.{0,20}?\b(?:pdf|again|otra vez|de nuevo|"
        r"a nouveau|encore|nochmal|noch einmal|opnieuw)\b|"
        r"\b(?:upload\w*|submit\w*|sent|send|post\w*|enter\w*) (?:it |the invoice |invoices )?"
        r"(?:to|in|into|through|via) (?:our |the )?(?:\w+ )?(?:portal|coupa|ariba|tungsten|"
        r"basware|taulia|peppol)\b|\b(?:e-?invoice|xrechnung|zugferd|peppol)\b|"
        r"\b(?:attachment|pdf|file|link) (?:was|is) (?:corrupt\w*|broken|missing|empty|blank)\b|"
        r"\b(?:can't|cannot|couldn't|could not|unable to) (?:open|read|find|download) (?:the |your "
        r"|this )?(?:attachment|pdf|invoice|file|document)\b|\bno (?:attachment|invoice|pdf) "
        r"(?:was )?(?:attached|included)\b|"
        r"\binvoice cop(?:y|ies)\b|\bre-?send\b|\bsend (?:it|them|the invoices?|this invoice|"
        r"that invoice|(?:it|them|the invoices?) over) again\b|\bsend (?:me|us) (?:a |the )?"
        r"(?:copy|copies|pdf|invoice|invoices)\b",
        r"\bkopie (?:der|dieser|von) rechnung\w*|\brechnungskopie\w*|\brechnung\w* (?:erneut|"
        r"nochmal|nochmals|noch einmal)\b|\b(?:erneut|nochmal|nochmals|noch einmal) (?:zu)?"
        r"(?:senden|schicken|ubermitteln|zusenden)\b|\bduplikat\b",
        r"\bcopie (?:de|des|du) (?:la |cette |nos |vos |votre )?factures?\b|\bduplicata\b|"
        r"\b(?:renvoyer|renvoyez|re-?envoyer|re-?transmettre)\b",
        r"\bcopia (?:de|del|de la|de las) (?:la |esta |las |su )?facturas?\b|\breenvi\w*|"
        r"\bvolver a enviar\b|\bkopie van de factuur\b|\bopnieuw (?:sturen|versturen|toesturen)\b|"
        r"\bcopia della fattura\b",
        negatable=False,
        tag="invoice_copy",
    ),
    *cue(
        "document_request",
        1.0,
        r"\bstatement(?: of (?:account|accounts|open items))?\b|\bsoa\b|\bopen items? "
        r"(?:list|report)\b|\blist of (?:open|outstanding|unpaid) (?:items|invoices)\b|"
        r"\breconciliation\b|\bkontoauszug\b|\bsaldenbestatigung\b|\bsaldenliste\b|\boffene[- ]"
        r"posten[- ]?(?:liste)?\b|\bkontoubersicht\b|\breleve (?:de compte|des factures)\b|"
        r"\betat de compte\b|\bextracto\b|\bestado de cuenta\b|\brelacion de facturas\b|"
        r"\brekeningoverzicht\b|\bestratto conto\b",
        negated=None,
        tag="statement",
    ),
    *cue(
        "document_request",
        1.0,
        r"\bw-?9\b|\bw-?8\w*|\btax (?:form|id|certificate|number|registration)\b|\bvat "
        r"(?:number|id|registration|certificate)\b|\bust-?id\w*|\bsteuernummer\b|\bnumero de "
        r"tva\b|\battestation fiscale\b|\bcertificado (?:fiscal|de residencia)\b|\bconstancia "
        r"fiscal\b|\b1099\b|\bansassigkeitsbescheinigung\b|\bfreistellungsbescheinigung\b|"
        r"\bcertificat de residence\b",
        negated=None,
        tag="tax",
    ),
    *cue(
        "document_request",
        1.0,
        r"\bcertificado de titularidad\b|\btitularidad bancaria\b|\bbank (?:letter|certificate|"
        r"confirmation letter|reference letter)\b|\bbankbestatigung\b|\battestation (?:de |d')?rib\b|"
        r"\bbank(?:ing)? (?:details|information|info|account(?: details| number)?|instructions|"
        r"coordinates)\b|\b(?:which|what) (?:bank )?account\b|\bwhere (?:to|do we|should we|can we) "
        r"(?:send|pay|wire|transfer)\b|\baccount number\b|"
        r"\bwire instructions\b|\bremit[- ]to\b|\bremittance (?:address|instructions)\b|\biban\b|"
        r"\bswift\b|\brouting (?:number|no)\b|\bbankverbindung\b|\bbankdaten\b|\bkontodaten\b|"
        r"\brib\b|\bcoordonnees bancaires\b|\bdatos bancarios\b|\bcertificado bancario\b|"
        r"\bbankgegevens\b|\bcoordinate bancarie\b|\bnumero de (?:cuenta|compte)\b|\bcuenta "
        r"(?:bancaria|corriente)\b|\bclabe\b|\bcbu\b|\b(?:a (?:quelle|quel)|sur quel) compte\b|"
        r"\b(?:a que|en que|a cual|cual es la) cuenta\b|\bauf welches konto\b|\bwelches konto\b",
        negated=None,
        tag="bank_details",
    ),
    *cue(
        "document_request",
        1.0,
        r"\bpurchase order\b|\bpo (?:number|#|no\b|copy)|\bbestellnummer\b|\bbon de commande\b|"
        r"\bnumero de (?:commande|pedido)\b|\borden de compra\b|\binkoopordernummer\b",
        negated=None,
        tag="po",
    ),
    *cue(
        "document_request",
        1.0,
        r"\bproof of delivery\b|\bpod\b|\bdelivery (?:note|receipt|slip)\b|\bpacking slip\b|"
        r"\blieferschein\w*|\bbon de livraison\b|\balbaran\b|\bsigned (?:contract|agreement)\b|"
        r"\btimesheets?\b",
        negated=None,
        tag="other",
    ),
]

CONTACT: list[Cue] = cue(
    "contact_change",
    1.6,
    r"\b(?:i am|i'm|je suis|ich bin|soy|sono) (?:the |le |la |der |die |el |la |il )?(?:new|nouveau|"
    r"nouvelle|neue|nuevo|nueva|nuovo|nuova)\b|\b(?:nuevo|nueva) responsable\b|\b(?:my|mon|ma|"
    r"meine|mi|il mio) (?:e-?mail|email address|correo|adresse|e-mail-adresse)\b.{0,12}?\b(?:is|est|"
    r"ist|lautet|es|e)\b\s*\S+@|\b(?:direct|send|address|forward) (?:all |any )?(?:future )?"
    r"(?:correspondence|communications?|emails?|inquiries|invoices|statements|reminders|notices)"
    r"\b.{0,40}?\bto\b|"
    r"\b(?:my|our|his|her) (?:replacement|successor|stand-in|substitute)\b|\b(?:i|he|she)(?: have| "
    r"has|'ve)? retired\b|\bmy last day\b|\b(?:leaving|left) (?:the|this|our) (?:company|firm|"
    r"role|position|team)\b|\bmein\w* nachfolger\w*|\bmon successeur\b|\bmi sucesor\w*|"
    r"\bno longer (?:handle|handles|handling|manage|responsible|in charge|work|works|working|"
    r"with|at|employed|the (?:right|correct) (?:person|contact)|deal(?:s|ing)? with)\b",
    r"\bnot the (?:right|correct|best|appropriate) (?:person|contact)\b",
    r"\b(?:please |kindly )?(?:bill|invoice|re-?address|address (?:the )?invoices? to|send (?:the "
    r")?invoices? to)\b.{0,40}?\binstead\b|\b(?:parent|sister|holding|group|head) (?:company|"
    r"office|entity)\b.{0,20}?\b(?:pays|handles|processes|takes care of|is responsible|will pay|"
    r"now pays)\b",
    r"\b(?:(?:billing|invoice|invoicing|e-?mail|contact|postal|mailing|remittance) "
    r"address|adresse (?:de facturation|e-?mail|de contact|courriel)|(?:rechnungs|e-mail-|"
    r"kontakt)adresse|direccion (?:de facturacion|de correo|de contacto)|correo de "
    r"facturacion)\b.{0,15}?\b(?:has changed|changed|is changing|will change|a change|"
    r"change|hat sich geandert|geandert|ha cambiado|cambio|is now|est desormais|lautet jetzt)\b",
    r"\b(?:takes|taking|will take|is taking|to take|take) over\b|\bmoving (?:to|into|on to) (?:a "
    r")?(?:new|different|another) (?:role|position|job|team|department)\b|\b(?:my|our) "
    r"colleague\b[^@\n]{0,40}?\S+@\S+",
    r"\b(?:she|he|they|who) (?:now |also )?(?:approves?|handles?|manages?|looks after|takes care "
    r"of|processes|owns|is in charge of|is responsible for|deals with|signs off) (?:on )?(?:these|"
    r"those|this|that|all|our|the|it|them|invoices|payments|ap|payables|vendor)\b",
    r"\b(?:check|speak|talk|deal|liaise|follow up|get in touch|work) (?:with|to)\s+(?!us\b|me\b|"
    r"you\b|your\b|the bank\b|our bank\b|them\b)(?:[a-z]+ ){1,2}?(?:in|from|at|on|of) "
    r"(?:purchasing|procurement|accounting|accounts payable|ap|a/p|finance|treasury|payables|"
    r"our \w+ (?:team|department|office))\b",
    r"\b(?:has|have|had) (?:left|retired from|moved on from) (?:the company|the firm|us|the "
    r"business|our company|the organi[sz]ation|[a-z]+)\b|\b(?:left|retired) (?:the company|the "
    r"firm|our company)\b",
    r"\b(?:contact|reach out to|e-?mail|write to|direct|send|address|forward|speak (?:to|with)|"
    r"talk to|resend)\b(?!\s*:)"
    r"(?:[^.@\n]|\b(?:m|mr|mrs|ms|dr|mme|mlle|hr|fr|sr|sra|srta|prof)\.){0,60}?\s\S+@\S+",
    r"\bnew (?:controller|cfo|accountant|bookkeeper|ap (?:clerk|manager|specialist|lead)|"
    r"finance manager|person in charge|buchhalter\w*|comptable|contable|contact person)\b|"
    r"\b(?:mailbox|inbox|address|e-?mail(?: address)?)\b.{0,20}?\b(?:is )?(?:no longer|not) "
    r"(?:monitored|in use|active|checked|valid|read)\b|\bnew (?:ap |accounts payable |billing |finance )?(?:contact|e-?mail(?: address)?|"
    r"address|point of contact)\b|\b(?:has|have) taken over\b|\bis now (?:handling|responsible|"
    r"in charge|the contact|taking care)\b|\bwill be (?:handling|taking over|your (?:new )?"
    r"contact)\b|\breplaced by\b|\bupdate your (?:records|contact|distribution|mailing|system)\b",
    r"\bnicht mehr (?:zustandig|verantwortlich|im unternehmen|bei uns|fur)\b|\b(?:hat|haben) "
    r"(?:das unternehmen|die firma|uns) verlassen\b|\bwenden sie sich (?:bitte )?an\b|"
    r"\bneue\w* (?:ansprechpartner\w*|e-?mail\w*|adresse|kontakt\w*)\b|\bzustandig ist "
    r"(?:ab sofort|jetzt|nun)\b|\bab sofort (?:ist|an)\b",
    r"\bne (?:suis|est|sommes) plus (?:en charge|responsable|le bon|la bonne|dans)\b|\bne "
    r"(?:fait|fais) plus partie\b|\ba quitte (?:la societe|l'entreprise|notre societe)\b|"
    r"\b(?:adresser|envoyer|transmettre|faire parvenir|contact\w*)\b(?:[^.@\n]|\b(?:m|mr|mrs|ms|dr|mme|mlle|hr|fr|sr|sra|srta|prof)\.){0,60}?\s\S+@\S+|"
    r"\bne (?:m'occupe|s'occupe|gere|traite|suis plus charge\w*) plus\b|\bne m'occupe plus\b|"
    r"\b(?:invoices?|statements?|correspondence|reminders|bills) (?:should |must |will |can )?"
    r"(?:now |from now on )?(?:go|be sent|be addressed|be directed|be emailed) to\b|"
    r"\boutsourc\w*\b.{0,40}\b(?:ap|accounts payable|invoic\w*|billing)\b|"
    r"\b(?:nouvelle|nouveau) (?:adresse|contact|interlocut\w*)\b|\bje quitte (?:la societe|"
    r"l'entreprise|mes fonctions|mon poste|le groupe)\b|\b(?:vous adresser|s'adresser|"
    r"contacter|ecrire) (?:desormais|dorenavant|a l'avenir|a partir de maintenant)\b",
    r"\b(?:i'm|i am|i will be|i'll be) (?:leaving|retiring from|moving on from) (?:the company|"
    r"the firm|[a-z]+ (?:at|on|by) the end|at the end|on|this|next)\b|\bich verlasse (?:das "
    r"unternehmen|die firma)\b|\bdejo (?:la empresa|mi puesto|el cargo)\b",
    r"\bya no (?:trabaja|trabajo|es responsable|soy responsable|me encargo|se encarga|esta en "
    r"la empresa|forma parte)\b|\b(?:dejo|ha dejado) la empresa\b|\b(?:contactar|contacte|"
    r"escribir|dirigirse|enviar|envien|dirijan)\b(?:[^.@\n]|\b(?:m|mr|mrs|ms|dr|mme|mlle|hr|fr|sr|sra|srta|prof)\.){0,60}?\s\S+@\S+|\b(?:nueva|nuevo) "
    r"(?:direccion|contacto|correo)\b",
    r"\bniet meer (?:verantwoordelijk|werkzaam)\b|\bneem contact op met\b|\bnon (?:sono|e) piu "
    r"(?:responsabile|in azienda)\b",
    negatable=False,
)

OUT_OF_OFFICE: list[Cue] = cue(
    # An auto-reply marker alone is no absence ("Automatic reply: your invoice was received").
    "out_of_office",
    0.6,
    r"\bautomatic reply\b|\bauto-?reply\b",
    negatable=False,
) + cue(
    "out_of_office",
    2.0,
    r"\bout of (?:the )?office\b|\booo\b|\bout-of-office\b|\bon (?:annual |parental |maternity "
    r"|paternity |sick |medical |holiday |vacation )?leave\b|\bon (?:vacation|holiday|holidays|pto|"
    r"business travel|a business trip)\b|\baway from (?:the |my )?(?:office|desk)\b|\bcurrently "
    r"(?:away|out|travell?ing|unavailable)\b|\b(?:limited|no|without) access to (?:my )?e-?mails?\b|"
    r"\b(?:will|shall) be back\b|\bback in the office\b|\breturn(?:ing)? to the office\b|\bi "
    r"(?:will|'ll) (?:return|be returning)\b|\b(?:up)?on my return\b|"
    r"\b(?:away|out|(?<!hold )(?<!holding )(?<!put )(?<!back )off|unavailable|absent|travell?ing|on the road)\b.{0,15}?"
    r"\b(?:until|till|through|thru|returning)\b",
    r"\bout sick\b|\boff sick\b|\bsick (?:leave|today|day)\b|\bon sick\b|\bkrankgeschrieben\b|"
    r"\bkrank\b|\ben arret maladie\b|\bmalade\b|\bde baja medica\b|\benferm[oa]\b|\bziek\b|"
    r"\babwesen\w*|\bnicht im (?:buro|haus|office)\b|\bim urlaub\b|\burlaubsbedingt\b|"
    r"\bausser haus\b|\bbin (?:ab|am) .{0,20} wieder\b|\bwieder (?:im buro|erreichbar|da|"
    r"zuruck|im hause)\b|\belternzeit\b|\bkrankheitsbedingt\b",
    r"\babsente?s?\b|\ben conge\w*|\ben vacances\b|\bhors du bureau\b|\bde retour (?:le|au "
    r"bureau|a partir|lundi|mardi|mercredi|jeudi|vendredi)\b|\ba mon retour\b|\breponse "
    r"automatique\b",
    r"\bfuera de (?:la )?oficina\b|\bde vacaciones\b|\bausente\b|\bestare de (?:vuelta|regreso)\b|"
    r"\bregres\w* el\b|\ba mi regreso\b|\brespuesta automatica\b|\bde baja\b(?! (?:de|en) "
    r"(?:su|la|sus) lista)",
    r"\bafwezig\b|\bmet vakantie\b|\bterug op\b|\bben (?:weer|vanaf)\b|\bfuori (?:ufficio|sede)\b|"
    r"\bin ferie\b|\brientr\w*",
    negatable=False,
)

OPT_OUT: list[Cue] = cue(
    "opt_out",
    2.5,
    r"\bunsubscrib\w*|\bopt(?:-| )?out\b|\bremove (?:me|us)\b|\bremove (?:my (?:e-?mail|address|"
    r"name)|this (?:address|e-?mail)) from\b|\btake (?:me|us) off\b|\b(?:stop|cease|quit) "
    r"(?:emailing|e-mailing|contacting|sending|writing|messaging|spamming|harass\w*)\b|"
    r"\babmelden\b|\baustragen\b|\bdesabonn\w*|\bdesinscri\w*|\bdar(?:me|nos)? de baja\b|"
    r"\bafmelden\b|\buitschrijven\b",
    negated=None,
) + cue(
    "opt_out",
    2.5,
    r"\bno (?:mas|quiero|deseo|queremos) (?:recibir )?(?:correos|emails|mensajes|recordatorios)\b|"
    r"\bkeine (?:mails|e-mails|nachrichten) mehr\b|\bplus (?:de |d')(?:e-?mails|courriels|messages|"
    r"relances)\b|\bno more (?:emails|e-mails|mails|messages|reminders)\b|"
    r"\b(?:do not|don't|dont|never|stop) (?:send|email|e-mail|contact|write|message|call)(?:ing)?"
    r"(?: me| us)? (?:any )?(?:further|more|other|again|anymore)\b|\bnot (?:your|a) customer\b|"
    r"\bnever (?:done|did) business with\b|\b(?:do not|don't|"
    r"never) (?:contact|email|e-mail|write to|message|call) (?:me|us)(?: again| anymore| any more"
    r"|$|\.)|\bno (?:more|further) (?:emails|e-mails|messages|reminders|contact|"
    r"correspondence)\b|\b(?:don't|do not) (?:want|wish) (?:these|your|any more|anymore|to "
    r"(?:receive|get|be contacted))\b|\bcease and desist\b",
    r"\bkeine (?:weiteren )?(?:e-?mails|nachrichten|mails|zuschriften|mahnungen)\b|"
    r"\baus (?:dem|ihrem) verteiler\b|\bnicht mehr (?:kontaktieren|anschreiben|"
    r"schreiben|anmailen)\b",
    r"\bdesabonn\w*|\bdesinscri\w*|\bne (?:plus|pas) (?:me |m'|nous |n')?\s*(?:contacter|ecrire|"
    r"envoyer|relancer|solliciter)\b|\bne (?:souhaite|veux|voulons|souhaitons) plus (?:etre )?"
    r"(?:contacte|recevoir|relance|sollicite)\w*|\b(?:no longer|do not|don't) wish to (?:be "
    r"contacted|receive|hear)\b|\bmochte\w* (?:nicht mehr|keine)\b.{0,30}\b(?:kontaktiert|"
    r"erhalten|bekommen|angeschrieben)\b|\bno (?:deseo|deseamos|quiero|queremos) (?:ser "
    r"contactad[oa]s?|recibir mas)\b|\bya no (?:quiero|deseo) recibir\b|"
    r"\bne plus recevoir\b|\bretirez-(?:moi|nous)\b|\bretirer (?:mon|notre) (?:adresse|e-?mail)\b",
    r"\bdar(?:me|nos)? de baja\b|\bdarse de baja\b|\bno (?:me|nos) (?:envien|manden|escriban|"
    r"contacten) mas\b|\bdej(?:en|e|a|ad) de (?:enviar|mandar|escribir|contactar|molestar|"
    r"llamar)\w*|\bno (?:tengo|tenemos) nada que ver con\b|\b(?:have|has) nothing to do with "
    r"(?:this|that|your|the) (?:company|business|account|invoice)\b|\brien a voir avec\b|\beliminar(?:me|nos)? de "
    r"(?:su|la|sus) lista",
    r"\bafmelden\b|\buitschrijven\b|\bdisiscriv\w*|\bcancellami\b|\bnon contattar\w*",
    r"^\W*(?:stop|stopp|unsubscribe|remove|halt|basta|arret|arrete|baja)\W*$",
    r"\b(?:take|remove|delete|drop|strike|get)\b (?:me|us|this (?:e-?mail )?address|this "
    r"e-?mail|this contact|my (?:e-?mail|address|name|details)|our (?:e-?mail|address|name)|"
    r"[\w.+-]+@[\w.-]+) (?:off|from) (?:your|the|this|all) (?:\w+ )?(?:lists?|distribution|"
    r"database|system|records|mailings?|contacts?)\b",
    # Data-protection erasure / objection requests (GDPR art. 17 and 21, DSGVO, RGPD, LOPD).
    r"\b(?:erasure|deletion|erase|delete|remove|purge)\b.{0,40}?\b(?:personal (?:data|"
    r"information|details)|(?:my|our) (?:personal |contact |e-?mail |customer )?(?:data|details|"
    r"information|info|record)s?)\b|\bright to (?:be "
    r"forgotten|erasure|object)\b|\b(?:gdpr|dsgvo|rgpd|lopd|ccpa)\b.{0,60}?\b(?:eras\w*|"
    r"delet\w*|remov\w*|objec\w*|losch\w*|widersp\w*|effac\w*|supprim\w*|oppos\w*|supres\w*|"
    r"borr\w*|elimin\w*)|\bart(?:icle|\.|ikel|iculo)? ?(?:17|21)\b.{0,20}?\b(?:gdpr|dsgvo|rgpd)\b|"
    r"\blosch\w*\b.{0,40}?\b(?:meine\w*|unsere\w*|personenbezogen\w*) daten\b|"
    r"\b(?:effacement|suppression) (?:de )?(?:mes|nos) donnees\b|\bdroit a l'oubli\b|"
    r"\b(?:supresion|eliminacion|borrado) de (?:mis|nuestros) datos\b|\bderecho al olvido\b",
    negatable=False,
)

INSOLVENCY: list[Cue] = cue(
    "insolvency",
    3.0,
    r"\bchapter (?:7|11|13|seven|eleven|thirteen)\b|\bbankrupt\w*|\binsolven\w*|"
    r"\breceivership\b|\breceivers? (?:has been |have been |was |were )?appointed\b|"
    r"\b(?:in|into|entered|entering|gone into|placed into|under) (?:voluntary |compulsory )?"
    r"(?:administration|liquidation|receivership)\b|\badministrators? (?:have been |has been |"
    r"were |was )?appointed\b|\bjoint administrators?\b|\b(?:insolvency|court[- ]appointed) administrators?\b|\bliquidators?\b|\bwinding[- ]up\b|"
    r"\bwound up\b|\bcreditor protection\b|\bcreditors'? (?:voluntary )?arrangement\b|\bccaa\b|"
    r"\bautomatic stay\b|\bfiled for (?:court )?protection\b|\bproof of claim\b|"
    r"\bcompany voluntary arrangement\b|\bcva\b|\bscheme of arrangement\b|\badministration "
    r"order\b|\bcreditors'? (?:meeting|committee)\b|\bappointed (?:as )?(?:the )?(?:joint |interim |official )?(?:receivers?|administrators?|"
    r"liquidators?|(?:bankruptcy )?trustees?|monitors?)\b|\b(?:bankruptcy|chapter \d+) "
    r"trustee\b|\bvoluntary petition\b|\bpre-?petition\b|\bdebtor[- ]in[- ]possession\b",
    r"\binsolvenz\w*|\bzahlungsunfahig\w*|\bkonkurs\w*|\bvorlaufige\w* (?:insolvenz)?verwalt\w*|"
    r"\bschutzschirm\w*|\bsanierungsverfahren\b|\beigenverwaltung\b|\bstarug\b|"
    r"\brestrukturierungs(?:verfahren|sache)\b|\bglaubigerschutz\b",
    r"\bredressement judiciaire\b|\bliquidation judiciaire\b|\bprocedure (?:collective|de "
    r"sauvegarde)\b|\bmandataire judiciaire\b|\badministrateur judiciaire\b|\bcessation des "
    r"paiements\b",
    r"\bconcurso (?:de acreedores|voluntario|necesario)\b|\bpreconcurso\b|\badministra(?:dor|cion) "
    r"concursal\b|\bquiebra\b|\ben concurso\b|\bliquidador\w*|\b(?:en|entrad[oa] en|proceso "
    r"de) liquidacion\b(?! de (?:la |las |los |el |esta |nuestra )?(?:factura|pago|saldo|deuda|"
    r"importe|cuenta))|\bliquidacion de la (?:empresa|sociedad|compania)\b|\bdisolucion y "
    r"liquidacion\b|\bin liquidation\b|\ben liquidation\b",
    r"\bfaillissement\b|\bfailliet\b|\bsurseance van betaling\b|\bfallimento\b|\bfallit\w*|"
    r"\bconcordato preventivo\b|\bamministrazione straordinaria\b|\bliquidazione giudiziale\b",
    negated=None,
)

QUESTION: list[Cue] = [
    *cue(
        "question",
        1.0,
        r"\b(?:tell|let) (?:me|us) (?:know )?(?:when|what|which|how|why|if|whether|where)\b|"
        r"\bsagen sie (?:mir|uns) (?:bitte )?(?:wann|was|welche|wie|warum|ob)\b|\bdites-(?:moi|nous) "
        r"(?:quand|quel|pourquoi|comment|si)\b|\b(?:digame|diganos|indiquenos) (?:cuando|que|cual|"
        r"por que|como|si)\b",
        negatable=False,
    ),
    *cue("question", 1.0, r"\?\s*$", negatable=False),
    *cue(
        "question",
        0.8,
        r"^(?:who|what|when|where|why|how|which|whom|whose|is there|are there|do you|does|did "
        r"you|is it|wer|wann|wo|warum|wieso|weshalb|welche\w*|konnen sie|qui|quoi|quand|pourquoi|"
        r"comment|quel\w*|combien|pouvez-vous|est-ce que|quien|cuando|donde|por que|como|cual\w*|"
        r"cuant\w*|wat|wanneer|waar|waarom|hoe|welke|chi|cosa|quando|dove|perche|quale)\b",
        r"\b(?:i was wondering|i wonder|(?:would|i'd) like to know|want to know|can you (?:tell|"
        r"confirm|explain|clarify|let (?:me|us) know)|could you (?:tell|confirm|explain|clarify|let "
        r"(?:me|us) know)|please (?:confirm|explain|clarify|advise)|konnten sie (?:mir|uns) "
        r"(?:sagen|erklaren|bestatigen)|pourriez-vous (?:me|nous) (?:dire|confirmer|expliquer)|"
        r"podrian (?:decirnos|confirmar|explicar))\b",
        negatable=False,
    ),
]

ACKNOWLEDGEMENT: list[Cue] = cue(
    "acknowledgement",
    1.0,
    r"\blet me (?:check|look|see|verify|find out)\b|\bget back to you\b|\bje reviens vers vous\b|"
    r"\bich melde mich\b|\ble (?:respondo|confirmo) (?:en breve|pronto)\b|"
    r"\b(?:don't worry|no worries|no need to|all good|we have it|we've got it|kein problem|"
    r"pas de souci|no hay problema|no problem)\b|"
    r"^(?:ok|okay|k|noted|got it|understood|received|perfect|great|sounds good|will do|all good|"
    r"thanks|thank you|thx|ty|many thanks|cheers)\b",
    r"\bthank(?:s| you)\b|\b(?:well )?received\b|\bnoted\b|\b(?:will|'ll) (?:look into|check|"
    r"review|get back|revert|follow up|pass (?:it|this) on|forward|investigate|take a look)\b|"
    r"\bforwarded (?:it |this |your (?:e-?mail|message|reminder|note) )?to\b|\b(?:looking into|"
    r"checking (?:on|with|into)|reviewing|investigating) (?:it|this|the|that)\b|\bpassed (?:it |"
    r"this )?(?:on|along)\b",
    r"\bdanke\w*|\bvielen dank\b|\berhalten\b|\bzur kenntnis\b|\bkummern uns\b|\bprufen (?:das|"
    r"dies|es|den|die)\b|\bwir melden uns\b|\bleite\w* (?:es|das|ihre|die) \w* ?weiter\b",
    r"\bmerci\b|\bbien recu\b|\bnous (?:regardons|verifions|revenons|transmettons)\b|\bje "
    r"(?:regarde|transmets|reviens)\b|\bgracias\b|\brecibid[oa]\b|\blo (?:revisamos|reviso|"
    r"revisaremos)\b|\bbedankt\b|\bontvangen\b|\bgrazie\b|\bricevut[oa]\b",
    negated=None,
)

ACCOUNT_TOPIC = re.compile(
    r"\b(?:invoice\w*|inv|bill\w*|pay\w*|paid|balance|amount|due|overdue|fee\w*|charge\w*|"
    r"account|statement|credit\w*|owe\w*|owing|remind\w*|terms|po|purchase order|price\w*|"
    r"rate|late|interest|refund|discount|order|delivery|who (?:is|are) (?:this|you)|recogni[sz]e|"
    r"your company|rechnung\w*|zahlung\w*|bezahl\w*|betrag|mahnung\w*|konto|gutschrift|"
    r"facture\w*|paiement|payer|montant|solde|relance\w*|avoir|factura\w*|pago|pagar|importe|"
    r"saldo|recordatorio|factuur|betaling|fattura|pagamento|frais|interets?|penalite\w*|"
    r"gebuhr\w*|zinsen|verzugszins\w*|mahngebuhr\w*|recargo\w*|intereses|mora|cargos?|"
    r"vendor|supplier|w-?9|w-?8\w*|tax\w*|vat|remit\w*|iban|bank|cuenta|transferencia|"
    r"virement|uberweisung|bankverbindung|kontonummer|rib|coordonnees bancaires|datos "
    r"bancarios)\b|[$€£]|\d{3,}"
)

PERMANENT = re.compile(
    r"\bpermanent\w*|\bgoing forward\b|\bfrom now on\b|\bhenceforth\b|\bno longer\b|"
    r"\b(?:has|have) left\b|\bleft the company\b|\btaken over\b|\bab sofort\b|\bkunftig\b|"
    r"\bzukunftig\b|\bnicht mehr\b|\bdesormais\b|\bdorenavant\b|\ba l'avenir\b|\ba partir de "
    r"ahora\b|\ben adelante\b|\bya no\b|\bvoortaan\b|\bd'ora in poi\b"
)

SUSPICIOUS = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,30}\b(?:previous|prior|above|earlier|"
    r"all|any|your|the|system)\b.{0,20}\b(?:instructions?|prompts?|rules|guidelines|policy|"
    r"policies|directives|context|messages?)\b|\byou are now\b|^\s*(?:system|assistant|"
    r"developer|user)\s*:|\bas an ai\b|\b(?:ai|language model|llm|chatbot|assistant|agent|bot)"
    r"\b.{0,40}\b(?:must|should|shall|will now|need to|are required to|instructions?)\b|\bmark "
    r"(?:all |every |the |these |those |this |my |our )?(?:invoices?|accounts?|balances?|items?)"
    r"\b.{0,25}\b(?:as )?(?:paid|settled|closed|cleared)\b|\bset (?:the |my |our )?(?:balance|"
    r"amount due)\b.{0,12}\b(?:to )?(?:zero|0)\b|\b(?:delete|erase|remove|purge) (?:all )?(?:the )?"
    r"(?:records|invoices|history|data|ledger|logs)\b|\b(?:approve|execute|authori[sz]e) "
    r"(?:this|all|the|any)\b.{0,20}\b(?:automatically|immediately|without (?:review|approval))\b|"
    r"\bnew instructions\b|<\|.*?\|>|\[/?inst\]|\bjailbreak\b|\bdeveloper mode\b|\bprompt "
    r"injection\b|\bignoriere\w*\b.{0,30}\banweisungen\b|\bignore[sz]?\b.{0,30}\binstructions\b|"
    r"\bignora\w*\b.{0,30}\binstrucciones\b|\bissue (?:a )?(?:full )?(?:refund|credit)\b.{0,20}"
    r"\bimmediately\b",
    re.MULTILINE,
)

BANK_CHANGE = re.compile(
    r"\bnew bank\b|\b(?:update|change|amend) (?:our|the) (?:remittance|bank|payment|wire|"
    r"banking) (?:address|details|account|instructions|information)\b|"
    r"\b(?:new|changed|updated|update (?:of )?our|change (?:of|in|to) our|different) (?:bank|"
    r"banking|bank account|account|remittance|payment|wire) (?:details|account|information|info|"
    r"instructions|number|data)\b|\bbank (?:details|account|information) (?:have|has) "
    r"changed\b|\bplease (?:update|note) our (?:new )?(?:bank|banking)\b|\b(?:neue|geanderte) "
    r"bankverbindung\b|\bbankverbindung (?:hat sich )?geandert\b|\bnouvelles? coordonnees "
    r"bancaires\b|\bchangement de (?:banque|rib|coordonnees bancaires)\b|\bnouveau rib\b|"
    r"\b(?:nueva|nuevo|nuevos) (?:cuenta|numero de cuenta|datos bancarios)\b|\bcambio de "
    r"(?:cuenta|banco|datos bancarios)\b|\bnieuwe bankrekening\b|\bnuove coordinate bancarie\b"
)

DISCOUNT = re.compile(
    r"\bdiscount\w*|\brebate\b|\breduc(?:e|ed|tion|ing) (?:the |our |this )?(?:amount|balance|"
    r"price|invoice|total|bill|fee|fees|interest)\b|\blower (?:the )?(?:amount|price|balance)\b|"
    r"\bwaive\w*|\bwaiver\b|\bforgive\w*|\bwrite(?:-| )?off\b|\b(?:drop|remove|cancel|take off) "
    r"(?:the )?(?:late )?(?:fee|fees|interest|penalty|penalties|charges|surcharge)\b|\bsettle "
    r"for (?:less|\$|\d|half)|\bgoodwill (?:gesture|credit)\b|\brabatt\w*|\bskonto\b|"
    r"\bnachlass\w*|\bpreisnachlass\b|\b(?:gebuhren|zinsen|mahngebuhr\w*|verzugszinsen) "
    r"(?:streichen|erlassen)\b|\berlassen\b|\bremise\b|\brabais\b|\breduction\b|\bgeste "
    r"commercial\b|\bannul\w* (?:les |des )?(?:penalites|interets|frais)\b|\bdescuento\w*|"
    r"\brebaja\w*|\bcondon\w*|\bquita\b|\bkorting\b|\bsconto\b|\babbuono\b"
)

HEDGE = re.compile(
    r"\bhopefully\b|\bhope to\b|\bhoping\b|\bshould be able\b|\btry to\b|\btrying to\b|"
    r"\bprobably\b|\bmight\b|\bmaybe\b|\bperhaps\b|\bpossibly\b|\bfingers crossed\b|\bif all "
    r"goes well\b|\bassuming\b|\bhoffentlich\b|\bvoraussichtlich\b|\bvielleicht\b|\beventuell\b|"
    r"\bwahrscheinlich\b|\bj'espere\b|\bnormalement\b|\bpeut-etre\b|\bprobablement\b|"
    r"\besperamos\b|\bespero\b|\bquizas?\b|\btal vez\b|\bprobablemente\b|\bhopelijk\b|"
    r"\bmisschien\b|\bspero\b|\bforse\b"
)
