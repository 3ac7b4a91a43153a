"""Cue vocabulary for disputes and payment-plan requests (EN, DE, FR, ES, NL/IT basics).

Tags carry the dispute reason (pricing, quantity, quality, not_received, duplicate,
already_credited, tax). ``not_received_invoice`` ("we never got the invoice") and
``hardship`` ("cash flow is tight") are helper labels resolved in ``_reply_logic``.
Patterns run on folded text (see ``reply_vocab``).
"""

from __future__ import annotations

from agent.understanding._cues import Cue, cue
from agent.understanding._text import NUMBER

_N = NUMBER

NOT_RECEIVED_INVOICE: list[Cue] = cue(
    "not_received_invoice",
    1.4,
    r"(?:n't|\b(?:not|never|nie|nicht|keine|pas|jamais|no|nunca|niet|non))\b.{0,25}?\b(?:received|"
    r"receive|got|get|seen|erhalten|bekommen|recu|recue|recus|recibido|recibimos|recibi|llegado|"
    r"ontvangen|ricevut\w*)\b.{0,25}?\b(?:invoices?|bill|rechnung\w*|factures?|facturas?|"
    r"factuur|fattur[ae])\b",
    r"\b(?:invoices?|bill|rechnung\w*|factures?|facturas?|factuur|fattur[ae])\b.{0,30}?"
    r"\b(?:never|not|nie|nicht|jamais|nunca|niet)\b.{0,15}?\b(?:received|arrived|erhalten|"
    r"angekommen|recue?|llego|ontvangen)\b",
    r"\bn'?\s*(?:l'|les )?\s*(?:avons|ai|a)\s+(?:jamais|pas)\s+(?:recu|recue|recues|recus)\b",
    r"\bkeine rechnung\w*\b.{0,25}?\b(?:erhalten|bekommen)\b|\bno invoice\b.{0,20}?\b(?:received|"
    r"arrived)\b|\b(?:never|not) (?:got|received|seen) (?:an?|the|any|your) invoice\b|\baucune "
    r"facture\b.{0,20}?\brecue?\b|\bninguna factura\b|\bgeen factuur\b|\bno record of "
    r"(?:receiving |getting |having (?:received|got) )?(?:this|the|your|that|any|an) "
    r"(?:invoice|bill)\b|\b(?:invoice|bill)\b.{0,20}?\bnot in our (?:system|records|ap system)\b",
    negatable=False,
)

DISPUTE: list[Cue] = [
    # "Nobody here ordered extra training days", "who authorised this charge?".
    *cue(
        "dispute",
        1.2,
        r"\b(?:nobody|no one|none of us|niemand|personne|nadie)\b(?: \w+)?(?: \w+)? (?:ever )?"
        r"(?:ordered|authori[sz]ed|approved|requested|signed|agreed|asked for|bestellt|"
        r"beauftragt|commande|autorise|pidio|autorizo|encargo)\b|\bwho (?:authori[sz]ed|approved|"
        r"ordered|agreed to|signed off on) (?:this|these|that|those)\b",
        negatable=False,
    ),
    # Billed to the wrong party: "should have been billed to our Canadian entity".
    *cue(
        "dispute",
        1.2,
        r"\bshould (?:have been|be) (?:billed|invoiced|charged|addressed|issued|made out) (?:to|"
        r"under|against|in the name of)\b|\b(?:wrong|incorrect) (?:entity|legal entity|company "
        r"name|bill-to|billing address|customer|po number|po|account|cost cent(?:er|re))\b|"
        r"\b(?:billed|invoiced|addressed) to the wrong\b|\bfalsche\w* (?:rechnungsempfanger|"
        r"firma|gesellschaft|adresse|bestellnummer)\b|\bmauvaise (?:entite|societe|adresse)\b|"
        r"\b(?:razon social|entidad|rfc|cif|nif) (?:incorrect[oa]|equivocad[oa]|erron\w*)\b",
        negatable=False,
    ),
    # Billed for work not done: "you charged us for the installation, it hasn't been done".
    *cue(
        "dispute",
        1.0,
        r"^(?:(?!\b(?:pay\w*|paid|wire|transfer\w*|remit\w*|cheque|check|zahlung|paiement|"
        r"pago)\b).)*?\b(?:hasn't|has not|haven't|have not|wasn't|was not|weren't|were not|never|"
        r"isn't|is not|aren't|are not) (?:even |yet |actually |been )*(?:done|performed|completed|"
        r"installed|delivered|shipped|provided|rendered|started|carried out|finished|fitted)\b",
        negatable=False,
    ),
    *cue(
        "dispute",
        1.6,
        r"\bif (?:we|i) (?:had|would have|'d) (?:received|got|gotten) (?:the |our |your |any )?"
        r"(?:goods|shipment|order|delivery|items|products|parts|service|services)\b|\bwenn wir "
        r"die (?:ware|lieferung) (?:erhalten|bekommen) hatten\b|\bsi nous avions recu (?:la "
        r"marchandise|la commande|la livraison)\b",
        negatable=False,
        tag="not_received",
    ),
    *cue(
        "dispute",
        1.6,
        r"\b(?:upon|on|after) receipt of (?:the |your |a )?(?:credit|corrected|revised|amended)\b|"
        r"\b(?:once|when|as soon as|after) (?:we )?(?:receive|get|have) (?:the |your |a )?(?:credit|"
        r"corrected|revised|amended)\b|\b(?:a|des|apres) reception de (?:l'avoir|la facture "
        r"rectifi\w*|la facture corrig\w*)\b|\bnach (?:erhalt|eingang) der (?:gutschrift|"
        r"korrigierten rechnung)\b|\bsobald (?:wir )?(?:die )?(?:gutschrift|korrigierte rechnung)\b|"
        r"\b(?:al recibir|cuando recibamos|una vez recibida) (?:la )?(?:nota de credito|factura "
        r"corregida|factura rectificativa)\b",
        negatable=False,
        tag="already_credited",
    ),
    *cue(
        "dispute",
        1.5,
        r"\b(?:work|services?|job|goods|repairs?|hours|project|installation|delivery) (?:that |which )?"
        r"(?:was|were|has been|have been)? ?(?:never|not) (?:done|performed|completed|provided|"
        r"rendered|delivered|ordered|finished|started|carried out)\b|\bnever (?:done|performed|"
        r"completed|provided|rendered|carried out)\b|\bnicht erbracht\b|\bnie erbracht\b|"
        r"\bno se (?:presto|realizo|entrego)\b|\bnunca se (?:presto|realizo)\b|\bpas (?:ete )?"
        r"(?:realise|effectue|livre)e?s?\b",
        negatable=False,
        tag="not_received",
    ),
    *cue(
        "dispute",
        1.5,
        r"\bdisput\w*|\bcontest\w*|\bchalleng\w* (?:the|this|your)\b|\brefuse to pay\b|"
        r"\b(?:not|never|won't be|aren't|are not|am not|'re not) paying\b|"
        r"\b(?:holding|withholding|hold(?:ing)? back|suspend\w*|block\w*|on hold) (?:the |our |any |"
        r"all )?payments?\b|\bpayment (?:is )?on hold\b|\breject\w* (?:the|this|your) (?:invoice|"
        r"bill|charge)\b|\brefus\w* (?:the|this|your|cette|la|votre) (?:invoice|bill|facture)\b|"
        r"\brefusons\b|\brechaza\w*|\b(?:weisen|lehnen) .{0,30}(?:zuruck|ab)\b|\bzuruckweis\w*|"
        r"\b(?:zahlung|betrag) (?:zuruckhalten|einbehalten)\b|\b(?:suspendre|bloquer) (?:le|notre) "
        r"paiement\b|\bretener (?:el )?pago\b|\bretenemos\b",
        r"\breklam\w*|\bbeanstand\w*|\bwidersprech\w*|\bwiderspruch\b|\beinspruch\b|"
        r"\bbestreiten\b|\blitige\b|\breclamation\b|\bcontestons\b|\bdisputa\b|\breclam\w*|"
        r"\bimpugn\w*|\bbetwist\w*",
        negated=None,
    ),
    *cue(
        "dispute",
        1.5,
        r"\b(?:not|never) (?:going to|gonna) pay\b|\b(?:won't|will not) be paying\b|"
        r"\b(?:don't|do not|does not|doesn't|dont) owe\b|\bnot (?:liable|responsible) for\b|"
        r"\b(?:schulden|schuldet) (?:wir |ihnen )?nichts\b|\bne (?:devons|doit) rien\b|\bno "
        r"(?:debemos|adeudamos) nada\b",
        negatable=False,
    ),
    *cue(
        "dispute",
        1.0,
        r"\bincorrect\w*|\bwrong\b(?! (?:person|contact|address|e-?mail|department|company|"
        r"people|team))|\berror\b|\bmistake\w*|\berroneous\b|\binaccura\w*|\bdiscrepanc\w*|"
        r"\bdisagree\b|\bobject to\b|\bcomplain\w*|\b(?:issue|problem|concern)s? with (?:the|"
        r"this|your|that|invoice|inv)\b|\bplease (?:correct|cancel|void|amend|revise|adjust|"
        r"re-?issue|credit)\b|\b(?:corrected|revised|amended) invoice\b|\b(?:cancel|void) "
        r"(?:the|this|that) invoice\b|\bwas cancell?ed\b|\bcancell?ed (?:the|our) (?:order|"
        r"service|contract|subscription)\b|\b(?:extra|additional|unexpected|hidden|unauthori[sz]ed)"
        r" (?:charges?|fees?|costs?|items?)\b",
        r"\bfehlerhaft\w*|\bfalsch\w*|\bfehler\b|\bunstimmig\w*|\bkorrigier\w*|\bberichtig\w*|"
        r"\bstorn\w*|\babweich\w*",
        r"\berreur\w*|\berrone\w*|\bincorrecte?s?\b|\binexact\w*|\bdesaccord\b|\bcorrig\w*|"
        r"\bnon conforme\w*",
        r"\berror\w*|\bincorrect[oa]s?\b|\bequivocad[oa]s?\b|\bdesacuerdo\b|\bcorregi\w*|"
        r"\brectifica\w*",
        r"\bonjuist\b|\bfout\w*|\berrat[oa]\b|\bsbagliat\w*|\berrore\b",
        negated=None,
    ),
    *cue(
        "dispute",
        1.2,
        r"\bnot matching\b|\bmismatch\w*|\b(?:doesn't|does not|don't|do not) tally\b|"
        r"\bnot tallying\b|\bnot (?:correct|right|accurate|valid|ours|our (?:invoice|order))\b|\b(?:isn't|is not|"
        r"wasn't|was not|not been|hasn't been|haven't been|weren't|were not|not) (?:reflected|"
        r"applied|deducted|included|taken into account|honou?red|shown)\b|\bn'est pas (?:celui|"
        r"celle|le bon|la bonne|conforme)\b|\bnie (?:beauftragt|bestellt|erhalten|erbracht|"
        r"geliefert)\b|\b(?:doesn't|does "
        r"not|don't|do not|didn't|did not) (?:match|agree|reflect|correspond)\b|\bnot (?:what "
        r"we|as) (?:agreed|ordered|quoted|discussed)\b|\b(?:never|didn't|did not|not) (?:agreed?|"
        r"ordered?|requested|authori[sz]ed|approved|signed (?:off|for))\b|\bshould (?:not|n't) "
        r"(?:be|have been) (?:charged|billed|invoiced)\b|\bshouldn't (?:be|have been) (?:charged|"
        r"billed|invoiced)\b|\bshould (?:be|have been) (?:zero|0|nil|cancel\w*|void\w*|lower|"
        r"less)\b|\bnot (?:the|our) (?:contract(?:ed)?|agreed|quoted|negotiated) (?:rate|price|"
        r"amount|terms)\b",
        r"\bstimmt nicht\b|\bnicht (?:(?:so )?wie |als )?(?:korrekt|richtig|einverstanden|"
        r"vereinbart|bestellt|beauftragt|erbracht|geleistet|vertragsgemass|vereinbarungsgemass|"
        r"abgesprochen|angeboten)\b|\bminderung\w*|\bmangelruge\b|\bbeanstand\w*|\bentspricht nicht\b|\bnicht (?:der|unserer) bestellung\b",
        r"\bpas correct\w*|\bpas d'accord\b|\bne correspond\w* pas\b|\bentspr(?:icht|echen) nicht\b|\bno corresponden\b|\bpas (?:commande|"
        r"convenu|prevu)\w*|\bjamais (?:commande|realise|effectue)\w*",
        r"\bno es correct[oa]\b|\bno estamos de acuerdo\b|\bno (?:corresponde|coincide|cuadra)\b|"
        r"\bnunca (?:pedimos|solicitamos|se realizo)\b",
        r"\bklopt niet\b|\bniet akkoord\b|\bnon corrett\w*",
        negatable=False,
    ),
    *cue(
        "dispute",
        1.5,
        r"\bno es (?:el|lo) (?:acordado|pactado|convenido|presupuestado)\b|\bnicht (?:der|dem|die) "
        r"vereinbart\w*|\bnot (?:the|what) (?:we )?agreed\b|\bpas (?:le prix|celui) convenu\b|"
        r"\bcaps? (?:it |them |this )?at\b|\bcapped at\b|\bnot to exceed\b|\bexceeds? (?:the |our )?"
        r"(?:po|sow|contract|quote|budget|agreed|approved|estimate)\b|\bmore than (?:the |our )?"
        r"(?:po|sow|contract|approved|agreed|quoted|estimated)\b|"
        r"\btoo (?:high|expensive|much)\b|\bzu (?:hoch|teuer)\b|\btrop (?:eleve|cher)\w*|"
        r"\bdemasiado (?:alt[oa]|car[oa])\b|\bte hoog\b|\btroppo alt[oa]\b|\b(?:vereinbart|agreed|"
        r"convenu|acordado|pactado) (?:war|waren|was|were|etait|era)\b|\bwe agreed (?:on|to)\b|"
        r"\b(?:higher|more|greater|different|other) than (?:the |our |your |what (?:we|was) )?"
        r"(?:quote\w*|agreed|estimate\w*|po|purchase order|contract\w*|offer\w*|proposal|"
        r"negotiated)\b|\bovercharg\w*|\bover-?charg\w*|\bover-?bill\w*|\bcharged (?:us )?(?:too much|more than)|"
        r"\b(?:wrong|incorrect|higher|different) (?:price|pricing|rate|unit price)\b|\bprice "
        r"(?:is|was) (?:wrong|incorrect|higher|too high)\b|\b(?:we were|was) quoted\b|\bagreed "
        r"(?:price|rate|amount)\b|\b(?:doesn't|does not|don't) match (?:our|the) (?:po|purchase "
        r"order|quote|quotation|contract|agreement|price)\b|\bzu (?:viel|hoch) berechnet\b|"
        r"\buberhoht\w*|\bvereinbart\w* preis\w*|\bpreis\w* (?:stimmt|ist falsch|war)\b|"
        r"\bsurfactur\w*|\bprix (?:convenu|errone|incorrect|n'est pas)\w*|\bcobrad[oa] de mas\b|"
        r"\bprecio (?:acordado|incorrecto|pactado)\b|\bsobreprecio\b|\b(?:importe|monto) "
        r"(?:incorrecto|equivocado)\b",
        negatable=False,
        tag="pricing",
    ),
    *cue(
        "dispute",
        0.5,
        r"\bprice\w*|\bpricing\b|\bquote\w*|\bpreis\w*|\bprix\b|\btarif\w*|\bprecio\w*|\bimporte\b|"
        r"\brates?\b|\brebate\w*|\bdiscount\w*|\bshipping\b|\bfreight\b|\bsurcharge\w*|\bfees?\b|"
        r"\bdevis\b|\bmontant\b|\bpresupuesto\b|\bcotizacion\b|\bangebot\w*|\bofferte\b|"
        r"\bkostenvoranschlag\b|\bcontract rate\b",
        negatable=False,
        tag="pricing",
    ),
    *cue(
        "dispute",
        1.5,
        r"\bonly (?:have|had|use|used|ordered|need(?:ed)?|want(?:ed)?|received|got) \d+|"
        r"\bnur \d+ (?:von|statt)\b|\bseulement \d+ (?:sur|au lieu)\b|\bsolo \d+ de\b|"
        r"\b\d+ (?:of|out of|von|sur|de) (?:the |den |les |los )?\d+ (?:units|items|pieces|pallets|"
        r"boxes|cases|paletten|stuck|kartons|palettes|unidades|cajas)\b|"
        r"\b(?:charge[sd]?|bill(?:ed|s)?|invoice[sd]?|billing) (?:us )?for \d+\b.{0,40}?\bonly\b|"
        r"\b(?:received|got|delivered|shipped) only \d+|\bonly (?:received|got) \d+|\bshort[- ]?"
        r"(?:shipped|shipment|delivered|delivery)\b|\bmissing (?:items|parts|units|pieces|"
        r"boxes|pallets|cases|goods)\b|\b(?:items|units|pieces|boxes|pallets|cases) (?:were |are )"
        r"?missing\b|\bwe ordered \d+|\bnot the (?:right|correct) (?:number|quantity|amount of)\b|"
        r"\bzu wenig geliefert\b|\bfehlende\w*|\bmanquant\w*|\bfalta(?:n|ban)\b|\bincomplet\w*|"
        r"\bunvollstandig\w*",
        negatable=False,
        tag="quantity",
    ),
    *cue(
        "dispute",
        0.5,
        r"\bquantit\w*|\bmenge\b|\bcantidad\b|\bhoeveelheid\b|\bstuckzahl\b",
        negatable=False,
        tag="quantity",
    ),
    *cue(
        "dispute",
        1.5,
        r"\bcracked\b|\bscratched\b|\bdented\b|\bleak(?:ing|ed|s)\b|\btorn\b|\brott?en\b|\bcontaminat\w*|"
        r"\bdead on arrival\b|\bdoa\b|\bwrong (?:colou?r|size|spec\w*|version)\b|\bdamag\w*|"
        r"\bdefect\w*|\bfaulty\b|\b(?:poor|bad|low) quality\b|\bunusable\b|\bspoiled\b|\bnot as "
        r"(?:described|ordered|specified)\b|\bwrong (?:items?|products?|parts?|goods|model|size)\b|"
        r"\b(?:we )?returned (?:the|them|it|all|those|these|some|part|half|\d+)\b|\b(?:goods|items|products|order|merchandise|"
        r"shipment|parts|units) (?:were|was|have been|has been) (?:sent back|returned)\b|\brma\b|"
        r"\breturn (?:authori[sz]ation|merchandise)\b|\bzuruckgeschickt\b|\bretourn\w*|"
        r"\bdevuelt[oa]s?\b|\bdevolvimos\b|\bbeschadigt\w*|\bdefekt\w*|\bmangel\w*|"
        r"\bkaputt\b|\bendommag\w*|\babime\w*|\bdefectueu\w*|\bcasse[es]?\b|\bcassee?s?\b|\bdanad[oa]s?\b|"
        r"\bdefectuos[oa]s?\b|\broto\b|\brota\b|\bbeschadigd\b|\bkapot\b|\bdanneggiat\w*|"
        r"\bdifettos\w*",
        negatable=False,
        tag="quality",
    ),
    *cue(
        "dispute",
        0.8,
        r"\bbroken\b|\bnot working\b|\bstopped working\b|\bnot functioning\b|\bmalfunction\w*|"
        r"\b(?:doesn't|does not|didn't|did not) work\b|\bfunktioniert nicht\b|\bne fonctionne "
        r"pas\b|\bno funciona\b",
        negatable=False,
        tag="quality",
    ),
    *cue(
        "dispute",
        1.6,
        r"(?:n't|\b(?:not|never|nie|nicht|pas|jamais|no|nunca|niet|non))\b.{0,25}?\b(?:received|"
        r"receive|got|arrived|delivered|erhalten|bekommen|geliefert|angekommen|recu|recue|recus|"
        r"livre|livree|livres|arrive|recibido|recibimos|llegado|llego|entregado|ontvangen|geleverd|"
        r"ricevut\w*|consegnat\w*)\b.{0,30}?\b(?:goods|shipment|order|delivery|items|products?|"
        r"parts|materials?|package|parcel|services?|work|ware|waren|lieferung|bestellung|"
        r"leistung|marchandises?|commande|livraison|colis|prestation|mercancias?|pedido|envio|"
        r"productos?|servicio|goederen|bestelling|levering|merce|ordine|consegna)\b",
        r"\b(?:goods|shipment|order|delivery|items|products|parts|package|lieferung|ware|"
        r"bestellung|marchandise|commande|livraison|mercancia|pedido|envio)\b.{0,20}?\b(?:never|"
        r"not|nie|nicht|jamais|pas|nunca|no|niet)\b.{0,12}?\b(?:arrived|delivered|received|"
        r"showed up|angekommen|geliefert|eingetroffen|erhalten|bekommen|recue?s?|recibid[oa]s?|"
        r"ricevut\w*|arrive\w*|livre\w*|llego|llegado|"
        r"entregad[oa]|geleverd)\b",
        r"\b(?:goods|shipment|order|delivery|items|products|parts|package|parcel|material)\b.{0,20}?"
        r"\b(?:still )?(?:not|never) (?:here|there|arrived|in|come)\b|\bstill (?:waiting|waiting for|"
        r"awaiting) (?:the |our |for the )?(?:goods|shipment|order|delivery|items|parts)\b|"
        r"\bnot (?:yet )?delivered\b|\bnever (?:arrived|delivered|showed up|shipped)\b|"
        r"\bnicht geliefert\b|\bnie angekommen\b|\bnon livre\w*|\bjamais (?:arrive|livre)\w*|"
        r"\bnunca (?:llego|llegaron|fue entregad[oa])\b|\bniet geleverd\b|\bnon consegnat\w*",
        negatable=False,
        tag="not_received",
    ),
    *cue(
        "dispute",
        1.6,
        r"\bduplicate (?:invoice|charge|billing|payment|entry|bill)s?\b|\b(?:is|was|are|a|looks "
        r"like a) duplicate\b|\bduplicated\b|\b(?:billed|charged|invoiced) (?:us )?twice\b|\bdouble[- ]?(?:billed|"
        r"charged|invoiced|billing|charge|payment)\b|\btwice for the same\b|\bsame (?:invoice|"
        r"order|charge|delivery) (?:twice|two times)\b|\bdoppelt\w*|\bzweimal (?:berechnet|"
        r"in rechnung)\b|\ben double\b|\bfactur\w* deux fois\b|\bdoublon\w*|\bfactura duplicada\b|"
        r"\b(?:cobrad[oa]|facturad[oa]) dos veces\b|\bdubbel\w*|\btwee keer\b|\bdue volte\b|"
        r"\bdoppia\b",
        negatable=False,
        tag="duplicate",
    ),
    *cue(
        "dispute",
        1.5,
        r"\b(?:already|previously) (?:issued|received|got|applied|agreed|sent)\b.{0,20}?"
        r"\bcredit\b|\bcredit (?:note|memo)\b.{0,40}?\b(?:issued|applied|promised|agreed|"
        r"already|received)\b|\b(?:issued|applied|promised|agreed|sent)\b.{0,25}?\bcredit "
        r"(?:note|memo)\b|\bwas credited\b|\b(?:eine|die|ihre|der) gutschrift\b|\bgutgeschrieben\b|"
        r"\b(?:un|l'|cet) avoir\b|\b(?:una|la) nota de credito\b|\b(?:een|de) creditnota\b|"
        r"\b(?:una|la) nota di credito\b",
        negatable=False,
        tag="already_credited",
    ),
    *cue(
        "dispute",
        0.6,
        r"\bsales tax\b|\bvat\b|\bmwst\b|\bmehrwertsteuer\b|\bumsatzsteuer\b|\btva\b|\biva\b|"
        r"\bbtw\b|\bwithholding\b",
        negatable=False,
        tag="tax",
    ),
    *cue(
        "dispute",
        1.5,
        r"\btax[- ]exempt\w*|\bexempt from (?:sales )?tax\b|\b(?:resale|exemption|tax exempt) "
        r"certificate\b|\bsteuerbefreit\b|\bexonere de tva\b|\bexento de iva\b",
        negatable=False,
        tag="tax",
    ),
]

PLAN: list[Cue] = [
    # "give us until the 5th": an extension to a date; ``_reply_logic`` reads it as a promise
    # of that date unless it is asked ("?") or comes with hardship.
    *cue(
        "payment_plan_request",
        2.0,
        r"\b(?:can|could|may) (?:we|i) (?:have|get|take|ask for) (?:until|till|til)\b|\b(?:give|"
        r"grant|allow) (?:us|me) (?:until|till|til)\b|\b(?:please |kindly |pls )?(?:hold off|bear "
        r"with us|be patient|wait)\b.{0,12}?\b(?:until|till|til)\b",
        negated=None,
        tag="extension_until",
    ),
    *cue(
        "payment_plan_request",
        2.0,
        r"\b(?:split|splitting|break(?:ing)? up|divide|dividing|stagger(?:ing)?|spread(?:ing)?)\b "
        r"(?:it|this|that|them|the (?:invoice|balance|amount|payment|bill|total|sum|cost)s?)\b"
        r"(?! (?:with|between) (?:the|our|two|\d) (?:departments?|entities|companies|cost))",
        negated=None,
    ),
    *cue(
        "payment_plan_request",
        2.0,
        r"\bdelai (?:de paiement|supplementaire)\b|\bzahlungsaufschub\b|\bzahlungsziel\b.{0,20}?"
        r"\b(?:verlangern|erweitern|ausdehnen)\b|\b(?:more|extra|additional) time (?:to pay|for (?:the )?payment)\b|\bplazo "
        r"adicional\b|\bprorroga\w*|\bampliar el plazo\b|\buitstel van betaling\b|"
        r"\bdilazione\b",
        negated=None,
    ),
    *cue(
        "payment_plan_request",
        2.0,
        r"\b(?:pay|paying|settle) (?:it |this |that |the (?:balance|invoice|amount) )?(?:monthly|"
        r"weekly|quarterly|in instal?lments|in parts|in chunks|bit by bit|little by little)\b|"
        r"\boption to pay\b.{0,20}?\b(?:monthly|over|in|per)\b|\bmonatlich (?:zahlen|abzahlen|"
        r"begleichen)\b|\bpayer (?:tous les mois|mensuellement)\b|\bpagar (?:mensualmente|cada mes|"
        r"por mes|a plazos)\b",
        negated=None,
    ),
    *cue(
        "payment_plan_request",
        2.0,
        r"(?:[$€£]\s?)?\d[\d.,']*\s?(?:k|€|eur|euros?|usd|dollars?|\$)?\s+(?:a|per|each|every|al|por|"
        r"pro|par|im|/)\s?(?:month|mes|monat|mois|week|semana|woche|semaine|mo|maand|mese)\b",
        negated=None,
    ),
    *cue(
        "payment_plan_request",
        2.0,
        r"\b(?:in|into) (?:two|2|three|3|four|4) (?:halves|parts|portions|pieces|thirds|"
        r"tranches|lots|goes)\b|\bhalf (?:now|today|this month|in|on)\b.{0,30}?\b(?:half|rest|"
        r"remainder|balance)\b|\b(?:work out|come to|set up|make|reach|agree on|arrange) (?:some "
        r"(?:kind|sort) of |an? )?(?:arrangement|agreement|deal|plan|solution|schedule)\b|"
        r"\bverteilen\b|\bverteilt\b|\baufteil\w*|\bstrecken\b|\brepartir\b|\bfractionner\b|\bdistribuir\b|"
        r"\bdividir (?:el|los) pagos?\b",
        negated=None,
    ),
    *cue(
        "payment_plan_request",
        2.0,
        r"\bin (?:smaller|small|several|multiple|a few|monthly|weekly|regular) (?:amounts|payments|"
        r"chunks|portions|sums|installments|instalments|parts|steps)\b|\bover (?:the )?(?:coming|"
        r"next|following) (?:few |couple of |\d+ |[a-z]+ )?(?:months|weeks)\b|\b(?:every|each|per|"
        r"a) (?:(?:two|2|other|three|3) )?(?:weeks?|months?|fortnight|quarter)\b.{0,40}?\b(?:until|"
        r"till|untill|for (?:the next )?\w+ (?:months|weeks))\b|\b(?:until|till) (?:the (?:balance|"
        r"debt|amount|invoice)|it)(?:'s| is) (?:cleared|paid|settled|paid off|gone)\b|\bflexib\w*"
        r".{0,40}?\b(?:pay|payment|terms)\b|\b(?:more|extra|additional) time to pay\b|"
        r"\bextend(?:ed)? (?:the )?(?:payment )?terms\b",
        r"\bin (?:kleineren|mehreren) (?:betragen|teilbetragen|raten|schritten)\b|\ben plusieurs "
        r"(?:versements|paiements|echeances)\b|\ben (?:varios|pequenos) (?:pagos|plazos)\b",
        negated=None,
    ),
    *cue(
        "payment_plan_request",
        2.0,
        r"\bpayment (?:plan|arrangement|schedule|agreement)\b|\binstal?ments?\b|\bin (?:parts|"
        r"chunks|stages|tranches|increments)\b|\bsplit (?:it|this|that|them|the (?:balance|amount|"
        r"payment|invoice|total|bill|remaining)|(?:the )?payments?)\b|\bspread (?:it|this|that|"
        r"the (?:payments?|balance|amount|cost|remaining))\b|\b" + _N + r" (?:monthly|weekly|"
        r"bi-?weekly|quarterly|equal|separate|smaller)? ?payments\b|\b(?:spread|split|break up|"
        r"divide) (?:\S+\s+){0,3}?(?:over|into|across|in)\b|\b(?:could|can|may|might) (?:we|i)\b"
        r".{0,40}?\b(?:half|part|portion|some)\b.{0,30}?\b(?:rest|remainder|balance|other half|"
        r"half)\b|\bpay (?:it |this |that )?"
        r"(?:off |down )?over (?:the next )?(?:" + _N + r"|a few|several|couple of) (?:months|"
        r"weeks)\b|\b(?:per|a|each|every) (?:month|week)\b.{0,25}?\buntil\b|\bmonthly payments\b",
        r"\bratenzahlung\w*|\braten\b|\bteilzahlung\w*|\babzahl\w*|\bstundung\w*|\bzahlungsplan\b|"
        r"\bechelonn\w*|\bech[ea]ancier\b|\bpaiement (?:en plusieurs fois|echelonne|fractionne)\b|"
        r"\ben "
        + _N
        + r" fois\b|\ben plusieurs fois\b|\bmensualites\b|\betal(?:er|ement|ons)\b|\bplazo de pago\b|"
        r"\b(?:dar|conceder|dan|darnos|den) (?:un )?(?:mas )?plazo\b|\baplaza\w*|\bprorroga\w*|"
        r"\b(?:an )?extension\b.{0,30}?\b(?:pay|payment|due|terms)\b|\b(?:pay|payment|due) "
        r"(?:date )?extension\b|\bzahlungsaufschub\b|\bzahlungsziel (?:verlangern|verlaengern)\b|\bplan de pagos?\b|"
        r"\ben cuotas\b|\bcuotas\b|\ba plazos\b|\bfraccion\w*|\bpagos (?:parciales|mensuales)\b|"
        r"\bbetalingsregeling\b|\btermijnen\b|\bgespreid\w*|\brateizz\w*|\ba rate\b|"
        r"\bpiano di (?:pagamento|rientro)\b",
        r"\bin (?:\d+|two|three|four|five|six|several|a few|zwei|drei|vier|deux|trois|quatre|dos|"
        r"tres|cuatro) (?:equal |monthly |weekly |separate |smaller )?(?:parts|payments|"
        r"instal?lments|tranches|chunks|portions|amounts|raten|teilzahlungen|teilbetragen|"
        r"versements|mensualites|fois|cuotas|pagos|plazos|partes|termijnen)\b",
        r"\b(?:can|could|may) (?:we|i) (?:have|get|take|ask for) (?:a (?:few |couple "
        r"of )?(?:more |extra )?(?:days|weeks|months)|more time|an extension|some more time)\b|"
        r"\b(?:give|grant|allow) (?:us|me) (?:more time|an extension|a (?:few |couple "
        r"of )?(?:more |extra )?(?:days|weeks|months))\b|\b(?:please |kindly |pls )?(?:hold off|"
        r"bear with us|be patient|wait)\b.{0,12}?\b(?:a (?:few|couple)|another|for (?:a|another|"
        r"\d+))\b|"
        r"\bextend (?:the |our )?(?:due date|"
        r"deadline|terms|payment (?:date|terms))\b|\bpush (?:the |our )?(?:due date|payment|"
        r"deadline) (?:back|out)\b",
        negated=None,
    ),
    *cue(
        "payment_plan_request",
        1.6,
        r"\b(?:can't|cannot|can not|unable to|not able to|won't be able to|no way to)\b.{0,20}?"
        r"\b(?:pay|settle)\b.{0,25}?\b(?:in full|the (?:full|whole|entire|total) (?:amount|"
        r"balance|sum)|all at once|at once|everything at once|in one go|the whole thing|in one "
        r"payment|the lot)\b",
        r"\bnicht (?:auf einmal|in einer summe|den ganzen betrag|komplett)\b|"
        r"\bpas (?:en une (?:seule )?fois|la totalite)\b|\bno (?:podemos|puedo) pagar (?:todo|"
        r"el total|la totalidad)\b",
        negatable=False,
    ),
    *cue("payment_plan_request", 0.6, r"\bpartial payments?\b|\bpart[- ]payments?\b", negated=None),
]

HARDSHIP: list[Cue] = cue(
    "hardship",
    0.6,
    r"\bcash ?flow\b|\b(?:money|cash|funds|things) (?:is|are) tight\b|\btight (?:month|"
    r"quarter|period)\b|\bfinancial (?:difficult\w*|hardship|trouble|problems|issues)\b|"
    r"\bstruggl\w*|\bhard times\b|\bbusiness (?:has been|is) slow\b|\bslow (?:month|season|"
    r"quarter)\b|\bsales are down\b|\b(?:went|gone|going) (?:under|bust|bankrupt|broke)\b|"
    r"\blost (?:our|a|its|their) (?:biggest|largest|main|major|key|top) (?:client|customer|"
    r"contract)\b|\b(?:client|customer)s? (?:hasn't|haven't|didn't|did not|has not|have not) "
    r"paid (?:us|yet)\b|\bwaiting (?:to be paid|for (?:our )?(?:own )?payment from)\b|\bwaiting (?:for|on) (?:our|a) (?:customer|client)\b|\bdifficult (?:time|period|situation)\b|\bcan't afford\b|"
    r"\bcannot afford\b|\bliquiditat\w*|\bfinanziell\w* (?:schwierig\w*|engpass)|\bengpass\b|"
    r"\bdifficultes (?:financieres|de tresorerie)\b|\btresorerie\b|\bdificultades "
    r"(?:financieras|economicas)\b|\bliquidez\b",
    negatable=False,
)
