"""The skeleton of the standard contractual clauses between controllers and
processors, Commission Implementing Decision (EU) 2021/915 (Art. 28(7) GDPR):
its sections and clauses in order, each summarised in English and French.

The DPA draft incorporates the Decision's clauses by reference; the
summaries here only feed its *informative, non-contractual* appendix (the
text published in the Official Journal, OJ L 199, 7.6.2021, p. 18, prevails).
The options the clauses leave open (Clause 5, Clause 7.7, the Clause 9.2
deadline) and the Annexes come from the register.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Clause:
    number: str  # "1", "7.4", "9.2"
    title_en: str
    title_fr: str
    paragraphs_en: tuple[str, ...] = ()
    paragraphs_fr: tuple[str, ...] = ()

    def title(self, language: str) -> str:
        return self.title_fr if language == "fr" else self.title_en

    def paragraphs(self, language: str) -> tuple[str, ...]:
        return self.paragraphs_fr if language == "fr" else self.paragraphs_en


@dataclass(frozen=True, slots=True)
class Section:
    number: str  # "I", "II", "III"
    title_en: str
    title_fr: str
    clauses: tuple[Clause, ...]

    def title(self, language: str) -> str:
        return self.title_fr if language == "fr" else self.title_en


SECTION_I = Section("I", "", "", (
    Clause(
        "1", "Purpose and scope", "Objet et champ d'application",
        (
            "(a) The purpose of these Standard Contractual Clauses (the Clauses) is to ensure compliance with Article 28(3) and (4) of Regulation (EU) 2016/679 (GDPR).",
            "(b) The controllers and processors listed in Annex I have agreed to these Clauses in order to ensure compliance with Article 28(3) and (4) of the GDPR.",
            "(c) These Clauses apply to the processing of personal data as specified in Annex II.",
            "(d) Annexes I to IV are an integral part of the Clauses.",
            "(e) These Clauses are without prejudice to obligations to which the controller is subject by virtue of the GDPR.",
            "(f) These Clauses do not by themselves ensure compliance with obligations related to international transfers in accordance with Chapter V of the GDPR.",
        ),
        (
            "a) Les présentes clauses contractuelles types (ci-après les «\u00a0clauses\u00a0») visent à garantir le respect de l'article 28, paragraphes 3 et 4, du règlement (UE) 2016/679 (RGPD).",
            "b) Les responsables du traitement et les sous-traitants énumérés à l'annexe I ont accepté les présentes clauses afin de garantir le respect de l'article 28, paragraphes 3 et 4, du RGPD.",
            "c) Les présentes clauses s'appliquent au traitement des données à caractère personnel décrit à l'annexe II.",
            "d) Les annexes I à IV font partie intégrante des clauses.",
            "e) Les présentes clauses sont sans préjudice des obligations auxquelles le responsable du traitement est soumis en vertu du RGPD.",
            "f) Les présentes clauses ne garantissent pas, à elles seules, le respect des obligations relatives aux transferts internationaux conformément au chapitre V du RGPD.",
        ),
    ),
    Clause(
        "2", "Invariability of the Clauses", "Invariabilité des clauses",
        (
            "(a) The Parties undertake not to modify the Clauses, except for adding information to the Annexes or updating information in them.",
            "(b) This does not prevent the Parties from including these Clauses in a broader contract, or from adding other clauses or additional safeguards, provided that they do not directly or indirectly contradict the Clauses or detract from the fundamental rights or freedoms of data subjects.",
        ),
        (
            "a) Les parties s'engagent à ne pas modifier les clauses, sauf pour compléter ou mettre à jour les informations figurant dans les annexes.",
            "b) Cela n'empêche pas les parties d'inclure les présentes clauses dans un contrat plus large, ni d'ajouter d'autres clauses ou des garanties supplémentaires, à condition que celles-ci ne contredisent pas, directement ou indirectement, les clauses et ne portent pas atteinte aux libertés et droits fondamentaux des personnes concernées.",
        ),
    ),
    Clause(
        "3", "Interpretation", "Interprétation",
        (
            "(a) Where these Clauses use the terms defined in the GDPR, those terms have the same meaning as in that Regulation.",
            "(b) These Clauses are read and interpreted in the light of the provisions of the GDPR.",
            "(c) These Clauses are not interpreted in a way that runs counter to the rights and obligations provided for in the GDPR, or in a way that prejudices the fundamental rights or freedoms of the data subjects.",
        ),
        (
            "a) Lorsque les présentes clauses utilisent des termes définis dans le RGPD, ces termes ont la même signification que dans ce règlement.",
            "b) Les présentes clauses sont lues et interprétées à la lumière des dispositions du RGPD.",
            "c) Les présentes clauses ne sont pas interprétées d'une manière contraire aux droits et obligations prévus par le RGPD, ni d'une manière qui porte atteinte aux libertés ou droits fondamentaux des personnes concernées.",
        ),
    ),
    Clause(
        "4", "Hierarchy", "Hiérarchie",
        (
            "In the event of a contradiction between these Clauses and the provisions of related agreements between the Parties existing at the time when these Clauses are agreed or entered into thereafter, these Clauses prevail.",
        ),
        (
            "En cas de contradiction entre les présentes clauses et les dispositions des accords connexes entre les parties, existant au moment où les présentes clauses sont convenues ou conclus ultérieurement, les présentes clauses prévalent.",
        ),
    ),
    Clause(
        "5", "Docking clause (optional)", "Clause d'adhésion (facultative)",
        (
            "(a) Any entity that is not a Party to these Clauses may, with the agreement of all the Parties, accede to these Clauses at any time, either as a controller or as a processor, by completing the Annexes and signing Annex I.",
            "(b) Once the Annexes are completed and Annex I signed, the acceding entity is treated as a Party to these Clauses and has the rights and obligations of a controller or a processor, in accordance with its designation in Annex I.",
            "(c) The acceding entity has no rights or obligations resulting from these Clauses from the period prior to becoming a Party.",
        ),
        (
            "a) Toute entité qui n'est pas partie aux présentes clauses peut, avec l'accord de toutes les parties, y adhérer à tout moment, en qualité de responsable du traitement ou de sous-traitant, en complétant les annexes et en signant l'annexe I.",
            "b) Une fois les annexes complétées et l'annexe I signée, l'entité adhérente est considérée comme partie aux présentes clauses et a les droits et obligations d'un responsable du traitement ou d'un sous-traitant, selon sa désignation à l'annexe I.",
            "c) L'entité adhérente n'a aucun droit ni aucune obligation découlant des présentes clauses pour la période antérieure à son adhésion.",
        ),
    ),
))

SECTION_II = Section("II", "Obligations of the Parties", "Obligations des parties", (
    Clause(
        "6", "Description of processing(s)", "Description du ou des traitements",
        (
            "The details of the processing operations, in particular the categories of personal data and the purposes of processing for which the personal data is processed on behalf of the controller, are specified in Annex II.",
        ),
        (
            "Les détails des opérations de traitement, et notamment les catégories de données à caractère personnel et les finalités du traitement pour lesquelles les données sont traitées pour le compte du responsable du traitement, sont précisés à l'annexe II.",
        ),
    ),
    Clause("7", "Obligations of the Parties", "Obligations des parties"),
    Clause(
        "7.1", "Instructions", "Instructions",
        (
            "(a) The processor processes personal data only on documented instructions from the controller, unless required to do so by Union or Member State law to which the processor is subject. In such a case, the processor informs the controller of that legal requirement before processing, unless the law prohibits this on important grounds of public interest. Subsequent instructions may also be given by the controller throughout the duration of the processing; these instructions are always documented.",
            "(b) The processor immediately informs the controller if, in the processor's opinion, instructions given by the controller infringe the GDPR or the applicable Union or Member State data protection provisions.",
        ),
        (
            "a) Le sous-traitant ne traite les données à caractère personnel que sur instruction documentée du responsable du traitement, à moins qu'il ne soit tenu d'y procéder en vertu du droit de l'Union ou du droit de l'État membre auquel il est soumis. Dans ce cas, il informe le responsable du traitement de cette obligation juridique avant le traitement, sauf si ce droit l'interdit pour des motifs importants d'intérêt public. Le responsable du traitement peut également donner des instructions ultérieures pendant toute la durée du traitement\u00a0; ces instructions sont toujours documentées.",
            "b) Le sous-traitant informe immédiatement le responsable du traitement si, selon lui, une instruction donnée par ce dernier constitue une violation du RGPD ou des dispositions applicables du droit de l'Union ou du droit des États membres relatives à la protection des données.",
        ),
    ),
    Clause(
        "7.2", "Purpose limitation", "Limitation de la finalité",
        (
            "The processor processes the personal data only for the specific purpose(s) of the processing, as set out in Annex II, unless it receives further instructions from the controller.",
        ),
        (
            "Le sous-traitant traite les données à caractère personnel uniquement pour la ou les finalités spécifiques du traitement, définies à l'annexe II, sauf instruction complémentaire du responsable du traitement.",
        ),
    ),
    Clause(
        "7.3", "Duration of the processing of personal data", "Durée du traitement des données à caractère personnel",
        ("Processing by the processor only takes place for the duration specified in Annex II.",),
        ("Le traitement par le sous-traitant n'a lieu que pendant la durée précisée à l'annexe II.",),
    ),
    Clause(
        "7.4", "Security of processing", "Sécurité du traitement",
        (
            "(a) The processor at least implements the technical and organisational measures specified in Annex III to ensure the security of the personal data, including protection against a breach of security leading to accidental or unlawful destruction, loss, alteration, unauthorised disclosure or access to the data (personal data breach). In assessing the appropriate level of security, the Parties take due account of the state of the art, the costs of implementation, the nature, scope, context and purposes of processing and the risks involved for the data subjects.",
            "(b) The processor grants access to the personal data undergoing processing to members of its personnel only to the extent strictly necessary for implementing, managing and monitoring the contract. The processor ensures that persons authorised to process the personal data received have committed themselves to confidentiality or are under an appropriate statutory obligation of confidentiality.",
        ),
        (
            "a) Le sous-traitant met en œuvre, au minimum, les mesures techniques et organisationnelles précisées à l'annexe III pour assurer la sécurité des données à caractère personnel, y compris la protection contre toute violation de la sécurité entraînant, de manière accidentelle ou illicite, la destruction, la perte, l'altération, la divulgation non autorisée de données ou l'accès non autorisé à ces données (violation de données à caractère personnel). Pour évaluer le niveau de sécurité approprié, les parties tiennent dûment compte de l'état des connaissances, des coûts de mise en œuvre, de la nature, de la portée, du contexte et des finalités du traitement, ainsi que des risques pour les personnes concernées.",
            "b) Le sous-traitant n'accorde aux membres de son personnel l'accès aux données à caractère personnel faisant l'objet du traitement que dans la mesure strictement nécessaire à l'exécution, à la gestion et au suivi du contrat. Il veille à ce que les personnes autorisées à traiter les données à caractère personnel reçues s'engagent à respecter la confidentialité ou soient soumises à une obligation légale appropriée de confidentialité.",
        ),
    ),
    Clause(
        "7.5", "Sensitive data", "Données sensibles",
        (
            "If the processing involves personal data revealing racial or ethnic origin, political opinions, religious or philosophical beliefs, or trade union membership, genetic data or biometric data for the purpose of uniquely identifying a natural person, data concerning health or a person's sex life or sexual orientation, or data relating to criminal convictions and offences (sensitive data), the processor applies specific restrictions and/or additional safeguards.",
        ),
        (
            "Si le traitement porte sur des données à caractère personnel révélant l'origine raciale ou ethnique, les opinions politiques, les convictions religieuses ou philosophiques ou l'appartenance syndicale, des données génétiques ou des données biométriques aux fins d'identifier une personne physique de manière unique, des données concernant la santé, la vie sexuelle ou l'orientation sexuelle d'une personne, ou des données relatives aux condamnations pénales et aux infractions («\u00a0données sensibles\u00a0»), le sous-traitant applique des restrictions spécifiques et/ou des garanties supplémentaires.",
        ),
    ),
    Clause(
        "7.6", "Documentation and compliance", "Documentation et conformité",
        (
            "(a) The Parties are able to demonstrate compliance with these Clauses.",
            "(b) The processor deals promptly and adequately with inquiries from the controller about the processing of data in accordance with these Clauses.",
            "(c) The processor makes available to the controller all information necessary to demonstrate compliance with the obligations that are set out in these Clauses and stem directly from the GDPR. At the controller's request, the processor also permits and contributes to audits of the processing activities covered by these Clauses, at reasonable intervals or if there are indications of non-compliance.",
            "(d) The controller may choose to conduct the audit by itself or mandate an independent auditor. Audits may include inspections at the premises or physical facilities of the processor and are, where appropriate, carried out with reasonable notice.",
            "(e) The Parties make the information referred to in this Clause, including the results of any audits, available to the competent supervisory authority(ies) on request.",
        ),
        (
            "a) Les parties sont en mesure de démontrer le respect des présentes clauses.",
            "b) Le sous-traitant traite rapidement et de manière appropriée les demandes du responsable du traitement concernant le traitement des données conformément aux présentes clauses.",
            "c) Le sous-traitant met à la disposition du responsable du traitement toutes les informations nécessaires pour démontrer le respect des obligations énoncées dans les présentes clauses et découlant directement du RGPD. À la demande du responsable du traitement, il permet également la réalisation d'audits des activités de traitement couvertes par les présentes clauses et y contribue, à intervalles raisonnables ou en cas d'indices de non-conformité.",
            "d) Le responsable du traitement peut choisir de procéder lui-même à l'audit ou de mandater un auditeur indépendant. Les audits peuvent comprendre des inspections dans les locaux ou les installations physiques du sous-traitant et sont, le cas échéant, effectués moyennant un préavis raisonnable.",
            "e) Les parties mettent à la disposition de l'autorité ou des autorités de contrôle compétentes, à leur demande, les informations visées à la présente clause, y compris les résultats de tout audit.",
        ),
    ),
    Clause("7.7", "Use of sub-processors", "Recours à des sous-traitants ultérieurs"),
    Clause(
        "7.8", "International transfers", "Transferts internationaux",
        (
            "(a) Any transfer of data to a third country or an international organisation by the processor is done only on the basis of documented instructions from the controller or in order to fulfil a specific requirement under Union or Member State law to which the processor is subject, and takes place in compliance with Chapter V of the GDPR.",
            "(b) The controller agrees that where the processor engages a sub-processor in accordance with Clause 7.7 for carrying out specific processing activities (on behalf of the controller) and those processing activities involve a transfer of personal data within the meaning of Chapter V of the GDPR, the processor and the sub-processor can ensure compliance with Chapter V of the GDPR by using standard contractual clauses adopted by the Commission in accordance with Article 46(2) of the GDPR, provided the conditions for the use of those standard contractual clauses are met.",
        ),
        (
            "a) Tout transfert de données vers un pays tiers ou une organisation internationale par le sous-traitant n'est effectué que sur la base d'instructions documentées du responsable du traitement ou afin de satisfaire à une exigence spécifique du droit de l'Union ou du droit de l'État membre à laquelle le sous-traitant est soumis, et s'effectue conformément au chapitre V du RGPD.",
            "b) Le responsable du traitement convient que, lorsque le sous-traitant recrute un sous-traitant ultérieur conformément à la clause 7.7 pour mener des activités de traitement spécifiques (pour le compte du responsable du traitement) et que ces activités impliquent un transfert de données à caractère personnel au sens du chapitre V du RGPD, le sous-traitant et le sous-traitant ultérieur peuvent garantir le respect du chapitre V du RGPD en utilisant les clauses contractuelles types adoptées par la Commission sur la base de l'article 46, paragraphe 2, du RGPD, pour autant que les conditions d'utilisation de ces clauses contractuelles types soient remplies.",
        ),
    ),
    Clause(
        "8", "Assistance to the controller", "Assistance au responsable du traitement",
        (
            "(a) The processor promptly notifies the controller of any request it has received from the data subject. It does not respond to the request itself, unless authorised to do so by the controller.",
            "(b) The processor assists the controller in fulfilling its obligations to respond to data subjects' requests to exercise their rights, taking into account the nature of the processing.",
            "(c) In addition, the processor assists the controller in ensuring compliance with: the obligation to carry out a data protection impact assessment where a type of processing is likely to result in a high risk to the rights and freedoms of natural persons; the obligation to consult the competent supervisory authority prior to processing where the impact assessment indicates that the processing would result in a high risk in the absence of measures taken by the controller to mitigate the risk; the obligation to ensure that personal data is accurate and up to date, by informing the controller without delay if the processor becomes aware that the personal data it is processing is inaccurate or has become outdated; and the obligations in Article 32 of the GDPR.",
            "(d) The Parties set out in Annex III the appropriate technical and organisational measures by which the processor is required to assist the controller in the application of this Clause, as well as the scope and the extent of the assistance required.",
        ),
        (
            "a) Le sous-traitant informe sans délai le responsable du traitement de toute demande qu'il a reçue de la part d'une personne concernée. Il ne donne pas lui-même suite à cette demande, à moins que le responsable du traitement ne l'y ait autorisé.",
            "b) Le sous-traitant prête assistance au responsable du traitement pour remplir son obligation de répondre aux demandes des personnes concernées d'exercer leurs droits, compte tenu de la nature du traitement.",
            "c) Le sous-traitant aide en outre le responsable du traitement à garantir le respect\u00a0: de l'obligation d'effectuer une analyse d'impact relative à la protection des données lorsqu'un type de traitement est susceptible d'engendrer un risque élevé pour les droits et libertés des personnes physiques\u00a0; de l'obligation de consulter l'autorité de contrôle compétente préalablement au traitement lorsque l'analyse d'impact indique que le traitement présenterait un risque élevé si le responsable du traitement ne prenait pas de mesures pour atténuer le risque\u00a0; de l'obligation de veiller à ce que les données à caractère personnel soient exactes et à jour, en informant sans délai le responsable du traitement s'il apprend que les données qu'il traite sont inexactes ou obsolètes\u00a0; et des obligations prévues à l'article 32 du RGPD.",
            "d) Les parties définissent à l'annexe III les mesures techniques et organisationnelles appropriées par lesquelles le sous-traitant est tenu de prêter assistance au responsable du traitement dans l'application de la présente clause, ainsi que la portée et l'étendue de l'assistance requise.",
        ),
    ),
    Clause(
        "9", "Notification of personal data breach", "Notification de violations de données à caractère personnel",
        (
            "In the event of a personal data breach, the processor cooperates with and assists the controller for the controller to comply with its obligations under Articles 33 and 34 of the GDPR, taking into account the nature of processing and the information available to the processor.",
        ),
        (
            "En cas de violation de données à caractère personnel, le sous-traitant coopère avec le responsable du traitement et lui prête assistance pour lui permettre de se conformer aux obligations qui lui incombent en vertu des articles 33 et 34 du RGPD, compte tenu de la nature du traitement et des informations dont il dispose.",
        ),
    ),
    Clause(
        "9.1", "Data breach concerning data processed by the controller",
        "Violation de données concernant des données traitées par le responsable du traitement",
        (
            "In the event of a personal data breach concerning data processed by the controller, the processor assists the controller: (a) in notifying the personal data breach to the competent supervisory authority without undue delay after the controller has become aware of it, where relevant (unless the breach is unlikely to result in a risk to the rights and freedoms of natural persons); (b) in obtaining the information which, pursuant to Article 33(3) of the GDPR, must be stated in the controller's notification; (c) in complying, pursuant to Article 34 of the GDPR, with the obligation to communicate without undue delay the personal data breach to the data subject, when it is likely to result in a high risk to the rights and freedoms of natural persons.",
        ),
        (
            "En cas de violation de données à caractère personnel concernant des données traitées par le responsable du traitement, le sous-traitant l'aide\u00a0: a) à notifier la violation à l'autorité de contrôle compétente dans les meilleurs délais après en avoir pris connaissance, le cas échéant (sauf si la violation n'est pas susceptible d'engendrer un risque pour les droits et libertés des personnes physiques)\u00a0; b) à obtenir les informations qui, conformément à l'article 33, paragraphe 3, du RGPD, doivent figurer dans la notification du responsable du traitement\u00a0; c) à respecter, conformément à l'article 34 du RGPD, l'obligation de communiquer dans les meilleurs délais la violation à la personne concernée, lorsqu'elle est susceptible d'engendrer un risque élevé pour les droits et libertés des personnes physiques.",
        ),
    ),
    Clause(
        "9.2", "Data breach concerning data processed by the processor",
        "Violation de données concernant des données traitées par le sous-traitant",
    ),
))

SECTION_III = Section("III", "Final provisions", "Dispositions finales", (
    Clause(
        "10", "Non-compliance with the Clauses and termination", "Non-respect des clauses et résiliation",
        (
            "(a) Without prejudice to any provisions of the GDPR, in the event that the processor is in breach of its obligations under these Clauses, the controller may instruct the processor to suspend the processing of personal data until the latter complies with these Clauses or the contract is terminated. The processor promptly informs the controller in case it is unable to comply with these Clauses, for whatever reason.",
            "(b) The controller is entitled to terminate the contract insofar as it concerns processing of personal data in accordance with these Clauses if: (1) the processing of personal data by the processor has been suspended by the controller pursuant to point (a) and compliance with these Clauses is not restored within a reasonable time and in any event within one month following suspension; (2) the processor is in substantial or persistent breach of these Clauses or its obligations under the GDPR; (3) the processor fails to comply with a binding decision of a competent court or of the competent supervisory authority(ies) regarding its obligations pursuant to these Clauses or to the GDPR.",
            "(c) The processor is entitled to terminate the contract insofar as it concerns processing of personal data under these Clauses where, after having informed the controller that its instructions infringe applicable legal requirements in accordance with Clause 7.1(b), the controller insists on compliance with the instructions.",
            "(d) Following termination of the contract, the processor, at the choice of the controller, deletes all personal data processed on behalf of the controller and certifies to the controller that it has done so, or returns all the personal data to the controller and deletes existing copies, unless Union or Member State law requires storage of the personal data. Until the data is deleted or returned, the processor continues to ensure compliance with these Clauses.",
        ),
        (
            "a) Sans préjudice des dispositions du RGPD, en cas de manquement du sous-traitant à ses obligations au titre des présentes clauses, le responsable du traitement peut lui donner instruction de suspendre le traitement des données à caractère personnel jusqu'à ce qu'il se conforme aux présentes clauses ou jusqu'à la résiliation du contrat. Le sous-traitant informe rapidement le responsable du traitement s'il n'est pas en mesure de se conformer aux présentes clauses, pour quelque raison que ce soit.",
            "b) Le responsable du traitement est en droit de résilier le contrat en ce qu'il concerne le traitement de données à caractère personnel conformément aux présentes clauses si\u00a0: 1) le traitement de données à caractère personnel par le sous-traitant a été suspendu par le responsable du traitement en application du point a) et que le respect des présentes clauses n'est pas rétabli dans un délai raisonnable et, en tout état de cause, dans un délai d'un mois à compter de la suspension\u00a0; 2) le sous-traitant manque de façon substantielle ou persistante aux présentes clauses ou à ses obligations au titre du RGPD\u00a0; 3) le sous-traitant ne se conforme pas à une décision contraignante d'une juridiction compétente ou de l'autorité ou des autorités de contrôle compétentes concernant ses obligations au titre des présentes clauses ou du RGPD.",
            "c) Le sous-traitant est en droit de résilier le contrat en ce qu'il concerne le traitement de données à caractère personnel au titre des présentes clauses lorsque, après avoir informé le responsable du traitement que ses instructions enfreignent les exigences juridiques applicables conformément à la clause 7.1, point b), celui-ci insiste pour que ses instructions soient suivies.",
            "d) Après la résiliation du contrat, le sous-traitant, au choix du responsable du traitement, supprime toutes les données à caractère personnel traitées pour le compte de celui-ci et lui certifie qu'il l'a fait, ou renvoie toutes les données à caractère personnel au responsable du traitement et détruit les copies existantes, à moins que le droit de l'Union ou le droit de l'État membre n'impose de les conserver. Jusqu'à la suppression ou au renvoi des données, le sous-traitant continue de veiller au respect des présentes clauses.",
        ),
    ),
))

SECTIONS: tuple[Section, ...] = (SECTION_I, SECTION_II, SECTION_III)

# Clause 7.7 (a): the two options; {period} is the notice or request period.
OPTION_1 = (
    "OPTION 1 — PRIOR SPECIFIC AUTHORISATION: The processor does not subcontract any of its processing operations performed on behalf of the controller in accordance with these Clauses to a sub-processor without the controller's prior specific written authorisation. The processor submits the request for specific authorisation at least {period} prior to the engagement of the sub-processor in question, together with the information necessary to enable the controller to decide on the authorisation. The list of sub-processors authorised by the controller can be found in Annex IV. The Parties keep Annex IV up to date.",
    "OPTION 1 — AUTORISATION PRÉALABLE SPÉCIFIQUE\u00a0: Le sous-traitant ne sous-traite aucune des opérations de traitement qu'il effectue pour le compte du responsable du traitement en vertu des présentes clauses à un sous-traitant ultérieur sans l'autorisation écrite préalable et spécifique du responsable du traitement. Il soumet sa demande d'autorisation spécifique au moins {period} avant le recrutement du sous-traitant ultérieur concerné, accompagnée des informations nécessaires pour permettre au responsable du traitement de se prononcer. La liste des sous-traitants ultérieurs autorisés par le responsable du traitement figure à l'annexe IV. Les parties tiennent l'annexe IV à jour.",
)
OPTION_2 = (
    "OPTION 2 — GENERAL WRITTEN AUTHORISATION: The processor has the controller's general authorisation for the engagement of sub-processors from an agreed list (Annex IV). The processor specifically informs the controller in writing of any intended changes to that list through the addition or replacement of sub-processors at least {period} in advance, thereby giving the controller sufficient time to be able to object to such changes prior to the engagement of the concerned sub-processor(s). The processor provides the controller with the information necessary to enable the controller to exercise the right to object.",
    "OPTION 2 — AUTORISATION ÉCRITE GÉNÉRALE\u00a0: Le sous-traitant dispose de l'autorisation générale du responsable du traitement pour recruter des sous-traitants ultérieurs figurant sur une liste convenue (annexe IV). Il informe spécifiquement et par écrit le responsable du traitement de tout projet de modification de cette liste par l'ajout ou le remplacement de sous-traitants ultérieurs au moins {period} à l'avance, laissant ainsi au responsable du traitement suffisamment de temps pour pouvoir s'opposer à ces changements avant le recrutement du ou des sous-traitants ultérieurs concernés. Il fournit au responsable du traitement les informations nécessaires pour lui permettre d'exercer son droit d'opposition.",
)
SUB_PROCESSOR_OBLIGATIONS = (
    (
        "(b) Where the processor engages a sub-processor for carrying out specific processing activities (on behalf of the controller), it does so by way of a contract which imposes on the sub-processor, in substance, the same data protection obligations as the ones imposed on the processor in accordance with these Clauses. The processor ensures that the sub-processor complies with the obligations to which the processor is subject pursuant to these Clauses and to the GDPR.",
        "(c) At the controller's request, the processor provides a copy of such a sub-processor agreement and any subsequent amendments to the controller. To the extent necessary to protect business secrets or other confidential information, including personal data, the processor may redact the text of the agreement prior to sharing a copy.",
        "(d) The processor remains fully responsible to the controller for the performance of the sub-processor's obligations in accordance with its contract with the processor. The processor notifies the controller of any failure by the sub-processor to fulfil its contractual obligations.",
        "(e) The processor agrees a third-party beneficiary clause with the sub-processor whereby, in the event the processor has factually disappeared, ceased to exist in law or has become insolvent, the controller has the right to terminate the sub-processor contract and to instruct the sub-processor to erase or return the personal data.",
    ),
    (
        "b) Lorsque le sous-traitant recrute un sous-traitant ultérieur pour mener des activités de traitement spécifiques (pour le compte du responsable du traitement), il le fait au moyen d'un contrat qui impose au sous-traitant ultérieur, en substance, les mêmes obligations en matière de protection des données que celles imposées au sous-traitant en vertu des présentes clauses. Le sous-traitant veille à ce que le sous-traitant ultérieur respecte les obligations auxquelles il est lui-même soumis en vertu des présentes clauses et du RGPD.",
        "c) À la demande du responsable du traitement, le sous-traitant lui fournit une copie de ce contrat de sous-traitance ultérieure et de ses modifications ultérieures. Dans la mesure nécessaire pour protéger des secrets d'affaires ou d'autres informations confidentielles, y compris des données à caractère personnel, le sous-traitant peut expurger le texte du contrat avant d'en communiquer une copie.",
        "d) Le sous-traitant demeure pleinement responsable, à l'égard du responsable du traitement, de l'exécution des obligations du sous-traitant ultérieur conformément au contrat qu'il a conclu avec celui-ci. Il informe le responsable du traitement de tout manquement du sous-traitant ultérieur à ses obligations contractuelles.",
        "e) Le sous-traitant convient avec le sous-traitant ultérieur d'une clause du tiers bénéficiaire selon laquelle, si le sous-traitant a matériellement disparu, a cessé d'exister en droit ou est devenu insolvable, le responsable du traitement a le droit de résilier le contrat de sous-traitance ultérieure et de donner instruction au sous-traitant ultérieur d'effacer ou de renvoyer les données à caractère personnel.",
    ),
)
# Clause 9.2 (the deadline the parties agree is recorded among the options).
BREACH_BY_PROCESSOR = (
    (
        "In the event of a personal data breach concerning data processed by the processor, the processor notifies the controller without undue delay after the processor having become aware of the breach.",
        "The notification contains, at least: (a) a description of the nature of the breach (including, where possible, the categories and approximate number of data subjects and data records concerned); (b) the details of a contact point where more information concerning the personal data breach can be obtained; (c) its likely consequences and the measures taken or proposed to be taken to address the breach, including to mitigate its possible adverse effects. Where, and insofar as, it is not possible to provide all this information at the same time, the initial notification contains the information then available and further information is, as it becomes available, subsequently provided without undue delay.",
        "The Parties set out in Annex III all other elements to be provided by the processor when assisting the controller in the compliance with the controller's obligations under Articles 33 and 34 of the GDPR.",
    ),
    (
        "En cas de violation de données à caractère personnel concernant des données traitées par le sous-traitant, celui-ci en informe le responsable du traitement dans les meilleurs délais après en avoir pris connaissance.",
        "La notification contient au moins\u00a0: a) une description de la nature de la violation (y compris, si possible, les catégories et le nombre approximatif de personnes concernées et d'enregistrements de données concernés)\u00a0; b) les coordonnées d'un point de contact auprès duquel des informations supplémentaires sur la violation peuvent être obtenues\u00a0; c) ses conséquences probables et les mesures prises ou proposées pour remédier à la violation, y compris pour en atténuer les éventuelles conséquences négatives. Lorsque, et dans la mesure où, il n'est pas possible de fournir toutes ces informations en même temps, la notification initiale contient les informations disponibles à ce moment-là et les informations supplémentaires sont communiquées ultérieurement, dans les meilleurs délais, à mesure qu'elles deviennent disponibles.",
        "Les parties précisent à l'annexe III tous les autres éléments que le sous-traitant doit fournir lorsqu'il aide le responsable du traitement à respecter les obligations qui lui incombent en vertu des articles 33 et 34 du RGPD.",
    ),
)

ANNEXES: tuple[tuple[str, str, str], ...] = (
    ("I", "List of parties", "Liste des parties"),
    ("II", "Description of the processing", "Description du traitement"),
    (
        "III",
        "Technical and organisational measures, including technical and organisational measures to ensure the security of the data",
        "Mesures techniques et organisationnelles, y compris les mesures techniques et organisationnelles visant à garantir la sécurité des données",
    ),
    ("IV", "List of sub-processors", "Liste des sous-traitants ultérieurs"),
)


def clause_order() -> tuple[str, ...]:
    """The clause numbers in the Decision's order ("1" … "10")."""
    return tuple(clause.number for section in SECTIONS for clause in section.clauses)
