namespace OpsDesk.Workflows.Triage.Classifiers.Local;

/// <summary>
/// Weighted phrases of the local classifier. Phrases are written normalised (lowercase, apostrophes dropped,
/// punctuation as spaces); a trailing * matches any word starting so (single words only). Weights: 3 is
/// decisive on its own, 2 strong, 1 a hint. A few Hindi (Devanagari and Latin script), Spanish, French,
/// German and Portuguese phrases cover the mixes seen in tickets.
/// </summary>
internal static class LocalLexicon
{
    public static readonly (string Phrase, Signal Signal, double Weight)[] Entries =
    [
        // payments
        ("payment*", Signal.Payments, 2), ("pay", Signal.Payments, 1), ("paid", Signal.Payments, 1), ("paying", Signal.Payments, 1.5),
        ("upi", Signal.Payments, 2), ("debit*", Signal.Payments, 2), ("deducted", Signal.Payments, 2), ("charged", Signal.Payments, 2),
        ("charge", Signal.Payments, 1.5), ("charges", Signal.Payments, 1.5), ("transaction*", Signal.Payments, 1.5), ("declined", Signal.Payments, 2),
        ("card", Signal.Payments, 1), ("credit card", Signal.Payments, 1.5), ("debit card", Signal.Payments, 1.5), ("wallet", Signal.Payments, 2),
        ("balance", Signal.Payments, 1.5), ("bank", Signal.Payments, 0.5), ("utr", Signal.Payments, 2), ("payout*", Signal.Payments, 3),
        ("settlement*", Signal.Payments, 3), ("settled", Signal.Payments, 2), ("emi", Signal.Payments, 3), ("chargeback*", Signal.Payments, 3),
        ("cash on delivery", Signal.Payments, 3), ("cod", Signal.Payments, 2), ("paypal", Signal.Payments, 2), ("american express", Signal.Payments, 2),
        ("amex", Signal.Payments, 2), ("visa", Signal.Payments, 1.5), ("mastercard", Signal.Payments, 1.5), ("net banking", Signal.Payments, 2),
        ("netbanking", Signal.Payments, 2), ("autopay", Signal.Payments, 2), ("recharge", Signal.Payments, 2), ("bill payment", Signal.Payments, 2),
        ("merchant*", Signal.Payments, 1), ("money", Signal.Payments, 1), ("amount", Signal.Payments, 0.5), ("prorated", Signal.Payments, 2),
        ("billing", Signal.Payments, 1), ("overcharged", Signal.Payments, 3), ("checkout", Signal.Payments, 0.5), ("gpay", Signal.Payments, 2),
        ("phonepe", Signal.Payments, 2), ("paytm", Signal.Payments, 2), ("paisa", Signal.Payments, 2), ("paise", Signal.Payments, 2),
        ("पैसे", Signal.Payments, 2), ("भुगतान", Signal.Payments, 2), ("रिचार्ज", Signal.Payments, 2),
        ("pago", Signal.Payments, 2), ("cargo", Signal.Payments, 2), ("tarjeta", Signal.Payments, 1), ("paiement", Signal.Payments, 2),
        ("zahlung", Signal.Payments, 2), ("pagamento", Signal.Payments, 2), ("cobrado", Signal.Payments, 2), ("abgebucht", Signal.Payments, 2),

        // orders
        ("order", Signal.Orders, 1), ("orders", Signal.Orders, 0.5), ("ordered", Signal.Orders, 1.5), ("deliver*", Signal.Orders, 2),
        ("shipped", Signal.Orders, 2), ("shipping", Signal.Orders, 2), ("shipment", Signal.Orders, 2), ("courier", Signal.Orders, 3),
        ("tracking", Signal.Orders, 3), ("parcel", Signal.Orders, 3), ("package", Signal.Orders, 2), ("item", Signal.Orders, 1.5),
        ("wrong item", Signal.Orders, 3), ("damaged", Signal.Orders, 2.5), ("broken", Signal.Orders, 1), ("replacement", Signal.Orders, 2.5),
        ("exchange", Signal.Orders, 2), ("cancel order", Signal.Orders, 2), ("cancel my order", Signal.Orders, 2), ("pickup", Signal.Orders, 2.5),
        ("return", Signal.Orders, 1), ("returned", Signal.Orders, 0.5), ("coupon*", Signal.Orders, 2.5), ("promo code", Signal.Orders, 2.5),
        ("address", Signal.Orders, 1), ("seller", Signal.Orders, 1), ("size", Signal.Orders, 1), ("processing", Signal.Orders, 1),
        ("dispatch*", Signal.Orders, 2), ("pedido", Signal.Orders, 1), ("commande", Signal.Orders, 1), ("bestellung", Signal.Orders, 1),

        // refunds
        ("refund*", Signal.Refunds, 3), ("money back", Signal.Refunds, 2.5), ("reimburse*", Signal.Refunds, 3), ("credited back", Signal.Refunds, 2),
        ("remboursement", Signal.Refunds, 3), ("reembolso", Signal.Refunds, 3), ("erstattung", Signal.Refunds, 3), ("reembolsado", Signal.Refunds, 3),
        ("paisa wapas", Signal.Refunds, 3), ("paise wapas", Signal.Refunds, 3), ("रिफंड", Signal.Refunds, 3),

        // account_access
        ("login", Signal.AccountAccess, 2), ("log in", Signal.AccountAccess, 2), ("logging in", Signal.AccountAccess, 1.5), ("sign in", Signal.AccountAccess, 2),
        ("password", Signal.AccountAccess, 2.5), ("locked", Signal.AccountAccess, 2.5), ("locked out", Signal.AccountAccess, 3), ("hacked", Signal.AccountAccess, 3),
        ("2fa", Signal.AccountAccess, 3), ("two factor", Signal.AccountAccess, 3), ("authenticator", Signal.AccountAccess, 3), ("sso", Signal.AccountAccess, 3),
        ("saml", Signal.AccountAccess, 2), ("credentials", Signal.AccountAccess, 2.5), ("username", Signal.AccountAccess, 1.5), ("account", Signal.AccountAccess, 0.5),
        ("my account", Signal.AccountAccess, 1), ("email address", Signal.AccountAccess, 1), ("registered email", Signal.AccountAccess, 2), ("registered mobile", Signal.AccountAccess, 2),
        ("new device", Signal.AccountAccess, 1.5), ("entrar na minha conta", Signal.AccountAccess, 3), ("senha", Signal.AccountAccess, 2.5), ("contraseña", Signal.AccountAccess, 2.5),
        ("mot de passe", Signal.AccountAccess, 2.5), ("connexion", Signal.AccountAccess, 2), ("anmelden", Signal.AccountAccess, 2), ("passwort", Signal.AccountAccess, 2.5),
        ("लॉगिन", Signal.AccountAccess, 2),

        // otp_delivery
        ("otp", Signal.OtpDelivery, 3), ("otps", Signal.OtpDelivery, 3), ("one time password", Signal.OtpDelivery, 3), ("verification code", Signal.OtpDelivery, 3),
        ("sms", Signal.OtpDelivery, 1.5), ("code", Signal.OtpDelivery, 0.5), ("ओटीपी", Signal.OtpDelivery, 3),

        // kyc
        ("kyc", Signal.Kyc, 3), ("video kyc", Signal.Kyc, 3), ("pan", Signal.Kyc, 1.5), ("aadhaar", Signal.Kyc, 2), ("aadhar", Signal.Kyc, 2),
        ("document*", Signal.Kyc, 1.5), ("address proof", Signal.Kyc, 3), ("id proof", Signal.Kyc, 3), ("penny drop", Signal.Kyc, 3),
        ("ifsc", Signal.Kyc, 1.5), ("name mismatch", Signal.Kyc, 2.5), ("verification", Signal.Kyc, 1), ("verify", Signal.Kyc, 0.5), ("limit", Signal.Kyc, 1),
        ("bank account", Signal.Kyc, 1), ("selfie", Signal.Kyc, 2), ("केवाईसी", Signal.Kyc, 3),

        // app_bug
        ("crash*", Signal.AppBug, 3), ("freez*", Signal.AppBug, 3), ("hangs", Signal.AppBug, 2.5), ("force close", Signal.AppBug, 3),
        ("bug", Signal.AppBug, 3), ("error", Signal.AppBug, 1), ("errors", Signal.AppBug, 1.5), ("not working", Signal.AppBug, 1.5),
        ("blank", Signal.AppBug, 2), ("white screen", Signal.AppBug, 3), ("slow", Signal.AppBug, 2), ("to load", Signal.AppBug, 2),
        ("500", Signal.AppBug, 1.5), ("502", Signal.AppBug, 2), ("503", Signal.AppBug, 2), ("http", Signal.AppBug, 1.5), ("api", Signal.AppBug, 1.5),
        ("export", Signal.AppBug, 2), ("button", Signal.AppBug, 2), ("page", Signal.AppBug, 1), ("screen", Signal.AppBug, 1.5),
        ("notification*", Signal.AppBug, 2), ("update", Signal.AppBug, 1), ("updating", Signal.AppBug, 1.5), ("updated", Signal.AppBug, 0.5),
        ("release", Signal.AppBug, 1.5), ("version", Signal.AppBug, 1), ("dashboard", Signal.AppBug, 1.5), ("outage", Signal.AppBug, 3),
        ("is down", Signal.AppBug, 2), ("completely down", Signal.AppBug, 2), ("app", Signal.AppBug, 0.5), ("glitch", Signal.AppBug, 3),
        ("stürzt", Signal.AppBug, 3), ("absturz", Signal.AppBug, 3), ("fehler", Signal.AppBug, 1.5), ("band ho", Signal.AppBug, 2),
        ("bloqueia", Signal.AppBug, 2), ("se cierra", Signal.AppBug, 3), ("plante", Signal.AppBug, 2),

        // other
        ("feature request", Signal.Other, 3), ("feature", Signal.Other, 1.5), ("dark mode", Signal.Other, 2), ("any plans", Signal.Other, 2),
        ("invoice*", Signal.Other, 2), ("gst", Signal.Other, 2), ("gstin", Signal.Other, 3), ("gdpr", Signal.Other, 3),
        ("delete my account", Signal.Other, 3), ("my data", Signal.Other, 2), ("feedback", Signal.Other, 3), ("suggestion", Signal.Other, 3),
        ("webhook*", Signal.Other, 2), ("docs", Signal.Other, 1.5), ("documentation", Signal.Other, 1.5), ("partnership", Signal.Other, 3),
        ("thanks", Signal.Other, 1), ("thank you", Signal.Other, 1), ("great service", Signal.Other, 2),

        // P0 cues
        ("fraud*", Signal.Fraud, 1), ("unauthori*", Signal.Fraud, 1), ("scam*", Signal.Fraud, 1), ("did not make", Signal.Fraud, 1),
        ("didnt make", Signal.Fraud, 1), ("not done by me", Signal.Fraud, 1), ("i did not do", Signal.Fraud, 1), ("stolen", Signal.Fraud, 1),
        ("koi transaction nahi", Signal.Fraud, 1), ("maine nahi kiya", Signal.Fraud, 1), ("धोखाधड़ी", Signal.Fraud, 1),
        ("hacked", Signal.Takeover, 1), ("i didnt do it", Signal.Takeover, 1), ("i did not do it", Signal.Takeover, 1), ("someone else logged", Signal.Takeover, 1),
        ("account takeover", Signal.Takeover, 1),
        ("all users", Signal.Outage, 1), ("all our users", Signal.Outage, 1), ("all customers", Signal.Outage, 1), ("all our customers", Signal.Outage, 1),
        ("everyone", Signal.Outage, 1), ("everybody", Signal.Outage, 1), ("nobody can", Signal.Outage, 1), ("no one can", Signal.Outage, 1),
        ("production", Signal.Outage, 1), ("outage", Signal.Outage, 1), ("is down", Signal.Outage, 1), ("are down", Signal.Outage, 1),
        ("went down", Signal.Outage, 1), ("completely down", Signal.Outage, 1), ("site down", Signal.Outage, 1), ("whole team", Signal.Outage, 1),
        ("whole company", Signal.Outage, 1), ("whole business", Signal.Outage, 1), ("none of our", Signal.Outage, 1), ("all merchants", Signal.Outage, 1),
        ("all of our", Signal.Outage, 1),

        // P1 cues
        ("debited", Signal.Debited, 1), ("deducted", Signal.Debited, 1), ("charged", Signal.Debited, 1), ("money cut", Signal.Debited, 1),
        ("amount cut", Signal.Debited, 1), ("kat gaya", Signal.Debited, 1), ("kat gaye", Signal.Debited, 1), ("kat liya", Signal.Debited, 1),
        ("कट गए", Signal.Debited, 1), ("कट गया", Signal.Debited, 1), ("cargo", Signal.Debited, 1), ("cobrado", Signal.Debited, 1), ("abgebucht", Signal.Debited, 1),
        ("débité", Signal.Debited, 1), ("debitado", Signal.Debited, 1),
        ("failed", Signal.Failed, 1), ("fail", Signal.Failed, 1), ("declined", Signal.Failed, 1), ("pending", Signal.Failed, 1),
        ("not successful", Signal.Failed, 1), ("unsuccessful", Signal.Failed, 1), ("didnt go through", Signal.Failed, 1), ("did not go through", Signal.Failed, 1),
        ("not completed", Signal.Failed, 1), ("rechazado", Signal.Failed, 1), ("échoué", Signal.Failed, 1), ("fehlgeschlagen", Signal.Failed, 1),
        ("recusado", Signal.Failed, 1), ("नहीं हुआ", Signal.Failed, 1), ("nahi hua", Signal.Failed, 1), ("fail ho", Signal.Failed, 1),
        ("twice", Signal.Duplicate, 1), ("double charged", Signal.Duplicate, 1), ("charged two times", Signal.Duplicate, 1), ("duplicate", Signal.Duplicate, 1),
        ("two times", Signal.Duplicate, 1), ("do baar", Signal.Duplicate, 1),
        ("disappeared", Signal.Vanished, 1), ("vanished", Signal.Vanished, 1), ("gayab", Signal.Vanished, 1), ("missing", Signal.Vanished, 1),
        ("cannot log in", Signal.LoginBlocked, 1), ("cant log in", Signal.LoginBlocked, 1), ("cant login", Signal.LoginBlocked, 1), ("cannot login", Signal.LoginBlocked, 1),
        ("unable to login", Signal.LoginBlocked, 1), ("unable to log in", Signal.LoginBlocked, 1), ("not able to login", Signal.LoginBlocked, 1), ("not able to log in", Signal.LoginBlocked, 1),
        ("locked out", Signal.LoginBlocked, 1), ("account is locked", Signal.LoginBlocked, 1), ("account locked", Signal.LoginBlocked, 1), ("account blocked", Signal.LoginBlocked, 1),
        ("cant access my account", Signal.LoginBlocked, 1), ("cannot access my account", Signal.LoginBlocked, 1), ("cant sign in", Signal.LoginBlocked, 1), ("cannot sign in", Signal.LoginBlocked, 1),
        ("login nahi", Signal.LoginBlocked, 1), ("não consigo entrar", Signal.LoginBlocked, 1), ("no puedo entrar", Signal.LoginBlocked, 1), ("impossible de me connecter", Signal.LoginBlocked, 1),
        ("kann mich nicht anmelden", Signal.LoginBlocked, 1),
        ("otp", Signal.CodeMention, 1), ("otps", Signal.CodeMention, 1), ("verification code", Signal.CodeMention, 1), ("one time password", Signal.CodeMention, 1),
        ("code", Signal.CodeMention, 1), ("ओटीपी", Signal.CodeMention, 1),
        ("not received", Signal.NotArriving, 1), ("not receiving", Signal.NotArriving, 1), ("not getting", Signal.NotArriving, 1), ("never comes", Signal.NotArriving, 1),
        ("never arrives", Signal.NotArriving, 1), ("never came", Signal.NotArriving, 1), ("not coming", Signal.NotArriving, 1), ("didnt receive", Signal.NotArriving, 1),
        ("did not receive", Signal.NotArriving, 1), ("didnt get", Signal.NotArriving, 1), ("havent received", Signal.NotArriving, 1), ("no otp", Signal.NotArriving, 1),
        ("nahi aa", Signal.NotArriving, 1), ("nahi aaya", Signal.NotArriving, 1), ("नहीं आ", Signal.NotArriving, 1), ("does not arrive", Signal.NotArriving, 1),
        ("login", Signal.LoginContext, 1), ("log in", Signal.LoginContext, 1), ("logging in", Signal.LoginContext, 1), ("sign in", Signal.LoginContext, 1),
        ("signing in", Signal.LoginContext, 1), ("logging", Signal.LoginContext, 1),
        ("pay", Signal.PaymentContext, 1), ("paying", Signal.PaymentContext, 1), ("payment", Signal.PaymentContext, 1), ("transaction", Signal.PaymentContext, 1),
        ("3d secure", Signal.PaymentContext, 1), ("checkout", Signal.PaymentContext, 1),

        // P3 cues
        ("how do i", Signal.Question, 1), ("how do we", Signal.Question, 1), ("how can i", Signal.Question, 1), ("how can we", Signal.Question, 1),
        ("how long", Signal.Question, 1), ("how to", Signal.Question, 1), ("can i", Signal.Question, 1), ("is it possible", Signal.Question, 1),
        ("is there a way", Signal.Question, 1), ("is there an", Signal.Question, 1), ("do you", Signal.Question, 1), ("will i", Signal.Question, 1),
        ("when will", Signal.Question, 1), ("which", Signal.Question, 1), ("what is", Signal.Question, 1), ("would like to know", Signal.Question, 1),
        ("wondering", Signal.Question, 1), ("question", Signal.Question, 1), ("kab milega", Signal.Question, 1), ("kaise", Signal.Question, 1),
        ("any plans", Signal.Feedback, 1), ("would love", Signal.Feedback, 1), ("feature request", Signal.Feedback, 1), ("suggestion", Signal.Feedback, 1),
        ("thanks", Signal.Feedback, 1), ("thank you", Signal.Feedback, 1), ("feedback", Signal.Feedback, 1),
        ("failed", Signal.Problem, 1), ("fails", Signal.Problem, 1), ("failing", Signal.Problem, 1), ("error", Signal.Problem, 1),
        ("not working", Signal.Problem, 1), ("doesnt work", Signal.Problem, 1), ("crash*", Signal.Problem, 1), ("declined", Signal.Problem, 1),
        ("stuck", Signal.Problem, 1), ("wrong", Signal.Problem, 1), ("broken", Signal.Problem, 1), ("never", Signal.Problem, 1),
        ("still", Signal.Problem, 1), ("not received", Signal.Problem, 1), ("didnt", Signal.Problem, 1), ("cannot", Signal.Problem, 1),
        ("cant", Signal.Problem, 1), ("unable", Signal.Problem, 1), ("blank", Signal.Problem, 1), ("empty", Signal.Problem, 1),
        ("slow", Signal.Problem, 1), ("invalid", Signal.Problem, 1), ("rejected", Signal.Problem, 1), ("damaged", Signal.Problem, 1),
        ("delayed", Signal.Problem, 1), ("pending", Signal.Problem, 1), ("late", Signal.Problem, 1), ("hasnt", Signal.Problem, 1),
        ("havent", Signal.Problem, 1), ("nothing", Signal.Problem, 1), ("disappeared", Signal.Problem, 1), ("missing", Signal.Problem, 1),
        ("chargeback", Signal.Problem, 1), ("nahi", Signal.Problem, 1), ("नहीं", Signal.Problem, 1), ("not", Signal.Problem, 0.5),

        // sentiment
        ("frustrat*", Signal.Negative, 1), ("angry", Signal.Negative, 1), ("terrible", Signal.Negative, 1), ("worst", Signal.Negative, 1),
        ("unacceptable", Signal.Negative, 1), ("ridiculous", Signal.Negative, 1), ("disappoint*", Signal.Negative, 1), ("useless", Signal.Negative, 1),
        ("pathetic", Signal.Negative, 1), ("horrible", Signal.Negative, 1), ("awful", Signal.Negative, 1), ("fraud", Signal.Negative, 1),
        ("scam", Signal.Negative, 1), ("urgent*", Signal.Negative, 0.5), ("still not", Signal.Negative, 0.5), ("again", Signal.Negative, 0.5),
        ("annoy*", Signal.Negative, 1), ("furious", Signal.Negative, 1), ("bakwas", Signal.Negative, 1), ("ghatiya", Signal.Negative, 1),
        ("want my money back", Signal.Negative, 1), ("fed up", Signal.Negative, 1), ("inaceptable", Signal.Negative, 1), ("inacceptable", Signal.Negative, 1),
        ("thanks", Signal.Positive, 1), ("thank you", Signal.Positive, 1), ("great", Signal.Positive, 1), ("love", Signal.Positive, 1),
        ("appreciate*", Signal.Positive, 1), ("awesome", Signal.Positive, 1), ("excellent", Signal.Positive, 1), ("helpful", Signal.Positive, 1),
        ("quickly", Signal.Positive, 0.5), ("resolved", Signal.Positive, 0.5), ("gracias", Signal.Positive, 1), ("merci", Signal.Positive, 1),
        ("danke", Signal.Positive, 1), ("obrigado", Signal.Positive, 1), ("dhanyavad", Signal.Positive, 1), ("धन्यवाद", Signal.Positive, 1),

        // many people affected (a feature of the hybrid priority head, not a rule)
        ("all of us", Signal.Widespread, 1), ("none of us", Signal.Widespread, 1), ("not one of us", Signal.Widespread, 1), ("many of us", Signal.Widespread, 1),
        ("many people", Signal.Widespread, 1), ("lots of people", Signal.Widespread, 1), ("so many people", Signal.Widespread, 1), ("other people", Signal.Widespread, 1),
        ("hundreds", Signal.Widespread, 1), ("dozens", Signal.Widespread, 1), ("thousands", Signal.Widespread, 1), ("whole family", Signal.Widespread, 1),
        ("whole office", Signal.Widespread, 1), ("whole city", Signal.Widespread, 1), ("entire", Signal.Widespread, 1), ("colleagues", Signal.Widespread, 1),
        ("neighbours", Signal.Widespread, 1), ("neighbors", Signal.Widespread, 1), ("other cities", Signal.Widespread, 1), ("every customer", Signal.Widespread, 1),
        ("every user", Signal.Widespread, 1), ("anyone", Signal.Widespread, 1), ("same problem", Signal.Widespread, 1), ("same issue", Signal.Widespread, 1),
        ("all stores", Signal.Widespread, 1), ("all outlets", Signal.Widespread, 1), ("all branches", Signal.Widespread, 1), ("sab log", Signal.Widespread, 1),
        ("sabka", Signal.Widespread, 1), ("sabhi", Signal.Widespread, 1),
    ];
}
