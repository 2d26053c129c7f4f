// The two demo clinics, fully configured: the prompt snapshots are built from these, and the
// SQL seed carries the same content (ids are fixed so both can refer to the same rows).
// Phone numbers are in ranges reserved for fiction (UK 020 7946 0xxx).

import type { ReceptionistConfig } from "../receptionist_config.ts";

export const NORTHSIDE_DENTAL_ID = "0d1e7a1a-0000-4000-8000-000000000001";
export const RIVERSIDE_PHYSIO_ID = "0d1e7a1a-0000-4000-8000-000000000002";

const weekdays = [1, 2, 3, 4, 5] as const;

export const northsideDental: ReceptionistConfig = {
  organisation: {
    id: NORTHSIDE_DENTAL_ID,
    name: "Northside Dental",
    timezone: "Europe/London",
    languages: ["en"],
    defaultLanguage: "en",
  },
  assistant: {
    assistantName: "Emma",
    greetings: {
      en: "Thank you for calling Northside Dental, this is Emma. How can I help you today?",
    },
    tone: "friendly",
    extraInstructions: [
      "New patients should arrive ten minutes early to fill in a medical history form, and bring a list of any medicines they take.",
      "We do not quote prices for implants, crowns or orthodontics over the phone: offer a free 15-minute consultation instead.",
      "Children under 16 must be accompanied by a parent or guardian.",
    ].join("\n"),
    voiceAgent: {
      id: "emma-en",
      displayName: "Emma — calm, British English",
      provider: "azure",
      providerVoiceId: "en-GB-SoniaNeural",
      languages: ["en"],
    },
    botEnabled: true,
    aiRepliesEnabled: true,
    maxMessagesPerHour: 200,
    escalationPhone: "+442079460000",
    afterHours: "take_message",
  },
  intents: [
    {
      id: "0d1e7a1a-0000-4000-8001-000000000101",
      name: "Book an appointment",
      examplePhrases: [
        "I'd like to book a check-up",
        "Can I make an appointment?",
        "I need to see the hygienist",
        "Have you got anything free next week?",
      ],
      responses: {
        en: "Of course. Which treatment is it for, and which days or times suit you best?",
      },
      action: "book",
      active: true,
      position: 1,
    },
    {
      id: "0d1e7a1a-0000-4000-8001-000000000102",
      name: "Cancel or move an appointment",
      examplePhrases: [
        "I need to cancel my appointment",
        "Can I move my appointment to another day?",
        "I can't make it on Thursday",
      ],
      responses: {
        en: "No problem. Can I take the name and phone number the appointment is booked under?",
      },
      action: "cancel",
      active: true,
      position: 2,
    },
    {
      id: "0d1e7a1a-0000-4000-8001-000000000103",
      name: "Dental emergency",
      examplePhrases: [
        "I've got terrible toothache",
        "I broke a tooth",
        "My face is swollen",
        "A filling fell out",
      ],
      responses: {
        en:
          "I'm sorry you're in pain. We keep emergency appointments free every day; let me find you the first one.",
      },
      action: "book",
      active: true,
      position: 3,
    },
    {
      id: "0d1e7a1a-0000-4000-8001-000000000104",
      name: "Speak to the practice team",
      examplePhrases: [
        "Can I speak to someone?",
        "I'd like to talk to reception",
        "Put me through to the practice manager",
      ],
      responses: { en: "Of course, let me put you through to the team." },
      action: "transfer",
      active: true,
      position: 4,
    },
    {
      id: "0d1e7a1a-0000-4000-8001-000000000105",
      name: "Prices",
      examplePhrases: ["How much is a check-up?", "What do you charge for a clean?"],
      responses: {
        en:
          "A check-up is £45 and a hygiene appointment is £65. NHS patients pay the standard NHS band charges.",
      },
      action: "answer",
      active: true,
      position: 5,
    },
    {
      id: "0d1e7a1a-0000-4000-8001-000000000106",
      name: "Whitening offer",
      examplePhrases: ["Do you still have the whitening offer?"],
      responses: { en: "The spring whitening offer has ended." },
      action: "answer",
      active: false,
      position: 6,
    },
  ],
  faq: [
    {
      id: "0d1e7a1a-0000-4000-8002-000000000101",
      kind: "faq",
      question: "Are you accepting new NHS patients?",
      answer:
        "We are not taking new NHS adult patients at the moment, but we welcome new private patients and NHS children under 18.",
      category: "new patients",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000102",
      kind: "faq",
      question: "What should I bring to my first appointment?",
      answer:
        "Please bring photo ID, a list of any medicines you take, and arrive ten minutes early to complete your medical history form.",
      category: "new patients",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000103",
      kind: "faq",
      question: "Where are you?",
      answer:
        "We are at 14 Northside Parade, London N4 2AB, two minutes' walk from Finsbury Park station (Victoria and Piccadilly lines).",
      category: "location",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000104",
      kind: "faq",
      question: "Is there parking?",
      answer:
        "There is no private car park. Pay-and-display parking is available on Stroud Green Road, and there is one disabled bay directly outside.",
      category: "location",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000105",
      kind: "faq",
      question: "Is the practice wheelchair accessible?",
      answer: "Yes. We have step-free access, a ground-floor surgery and an accessible toilet.",
      category: "location",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000106",
      kind: "faq",
      question: "How can I pay?",
      answer:
        "We take cash, debit and credit cards and Apple Pay or Google Pay. Payment is due on the day of treatment.",
      category: "payment",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000107",
      kind: "faq",
      question: "Do you offer payment plans?",
      answer:
        "Yes, treatment over £500 can be spread over 6 or 12 months interest-free, subject to approval.",
      category: "payment",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000108",
      kind: "faq",
      question: "What is your cancellation policy?",
      answer:
        "Please give us at least 24 hours' notice. Appointments missed or cancelled with less notice may be charged at £25.",
      category: "appointments",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000109",
      kind: "faq",
      question: "How often should I have a check-up?",
      answer:
        "Most adults need a check-up every 6 to 12 months; your dentist will recommend the right interval for you.",
      category: "appointments",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000110",
      kind: "faq",
      question: "Do you treat nervous patients?",
      answer:
        "Yes. Let us know when you book and we will allow extra time; our hygienists offer gentle-care sessions. We do not offer sedation.",
      category: "treatments",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000111",
      kind: "faq",
      question: "Do you do teeth whitening?",
      answer:
        "Yes, we offer home whitening kits fitted by the dentist, after a check-up to make sure whitening is suitable.",
      category: "treatments",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000112",
      kind: "canned_reply",
      question: "Thank you",
      answer: "You're welcome! Let us know if there's anything else we can help with.",
      category: "general",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000113",
      kind: "faq",
      question: "Do you have a spring whitening offer?",
      answer: "Yes, 20% off whitening until the end of May.",
      category: "treatments",
      language: "en",
      active: false,
    },
  ],
  workingHours: [
    ...weekdays.flatMap((weekday) => [
      { weekday, opens: "08:30", closes: "12:30" },
      { weekday, opens: "13:30", closes: "18:00" },
    ]),
    { weekday: 6, opens: "09:00", closes: "13:00" },
  ],
  closures: [
    { startsOn: "2026-08-31", endsOn: "2026-08-31", reason: "Summer bank holiday" },
    { startsOn: "2026-12-24", endsOn: "2026-12-28", reason: "Christmas" },
    { startsOn: "2027-01-01", endsOn: "2027-01-01", reason: "New Year's Day" },
    { startsOn: "2027-03-26", endsOn: "2027-03-29", reason: "Easter" },
    { startsOn: "2027-05-03", endsOn: "2027-05-03", reason: "Early May bank holiday" },
    { startsOn: "2027-05-31", endsOn: "2027-05-31", reason: "Spring bank holiday" },
    { startsOn: "2027-08-30", endsOn: "2027-08-30", reason: "Summer bank holiday" },
    { startsOn: "2027-12-24", endsOn: "2027-12-28", reason: "Christmas" },
  ],
  services: [
    {
      id: "0d1e7a1a-0000-4000-8003-000000000101",
      name: "Check-up",
      durationMinutes: 30,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 5,
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8003-000000000102",
      name: "Hygiene appointment",
      durationMinutes: 45,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8003-000000000103",
      name: "Emergency appointment",
      durationMinutes: 20,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8003-000000000104",
      name: "Whitening consultation",
      durationMinutes: 15,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      active: false,
    },
  ],
};

export const riversidePhysio: ReceptionistConfig = {
  organisation: {
    id: RIVERSIDE_PHYSIO_ID,
    name: "Riverside Physio",
    timezone: "Europe/Riga",
    languages: ["en", "ru"],
    defaultLanguage: "en",
  },
  assistant: {
    assistantName: "Anna",
    greetings: {
      en: "Hello, you're through to Riverside Physio, this is Anna. How can I help?",
      ru: "Здравствуйте, Riverside Physio, меня зовут Анна. Чем могу помочь?",
    },
    tone: "warm",
    extraInstructions: [
      "First visits are always the 60-minute initial assessment; follow-up sessions are 45 minutes.",
      "If a caller mentions numbness in the legs, loss of bladder control or severe pain at night, advise them to contact their GP or emergency services today before booking.",
      "Remind new patients to bring any scans, X-ray reports or referral letters, and to wear comfortable clothes.",
    ].join("\n"),
    voiceAgent: {
      id: "svetlana-ru",
      displayName: "Svetlana — Russian and English",
      provider: "azure",
      providerVoiceId: "ru-RU-SvetlanaNeural",
      languages: ["ru", "en"],
    },
    botEnabled: true,
    aiRepliesEnabled: true,
    maxMessagesPerHour: 120,
    escalationPhone: "+37167000001",
    afterHours: "book_only",
  },
  intents: [
    {
      id: "0d1e7a1a-0000-4000-8001-000000000201",
      name: "Book a session",
      examplePhrases: [
        "I'd like to book a physio appointment",
        "Do you have anything on Tuesday evening?",
        "Хочу записаться к физиотерапевту",
        "Есть ли свободное время во вторник вечером?",
      ],
      responses: {
        en: "Happy to help. Is this your first visit with us, and which days suit you?",
        ru: "С удовольствием помогу. Вы у нас впервые? Какие дни вам удобны?",
      },
      action: "book",
      active: true,
      position: 10,
    },
    {
      id: "0d1e7a1a-0000-4000-8001-000000000202",
      name: "Cancel or reschedule",
      examplePhrases: [
        "I need to cancel my session",
        "Can I change my appointment time?",
        "Мне нужно отменить запись",
        "Можно перенести приём?",
      ],
      responses: {
        en: "Of course. Which name and phone number is the appointment under?",
        ru: "Конечно. На какое имя и номер телефона оформлена запись?",
      },
      action: "cancel",
      active: true,
      position: 20,
    },
    {
      id: "0d1e7a1a-0000-4000-8001-000000000203",
      name: "Speak to a physiotherapist",
      examplePhrases: [
        "Can I talk to my physio?",
        "I have a question for the therapist",
        "Можно поговорить с физиотерапевтом?",
        "Соедините меня с администратором",
      ],
      responses: {
        en: "Let me connect you with the team.",
        ru: "Сейчас соединю вас с нашей командой.",
      },
      action: "transfer",
      active: true,
      position: 30,
    },
    {
      id: "0d1e7a1a-0000-4000-8001-000000000204",
      name: "Insurance",
      examplePhrases: [
        "Do you accept my insurance?",
        "Can I pay with my health insurance?",
        "Вы работаете со страховкой?",
        "Принимаете полис ВАП?",
      ],
      responses: {
        en:
          "We work with BTA, Balta, Compensa and ERGO health insurance. Please bring your insurance card; we bill the insurer directly where your policy allows.",
        ru:
          "Мы работаем со страховыми компаниями BTA, Balta, Compensa и ERGO. Возьмите с собой карточку страхования — где позволяет полис, мы выставляем счёт страховщику напрямую.",
      },
      action: "answer",
      active: true,
      position: 40,
    },
    {
      id: "0d1e7a1a-0000-4000-8001-000000000205",
      name: "Leave a message",
      examplePhrases: [
        "Can I leave a message?",
        "Please ask someone to call me back",
        "Можно оставить сообщение?",
        "Пусть мне перезвонят",
      ],
      responses: {
        en: "Of course. What is your name, your phone number and what is it about?",
        ru: "Конечно. Назовите, пожалуйста, ваше имя, номер телефона и суть вопроса.",
      },
      action: "take_message",
      active: true,
      position: 50,
    },
  ],
  faq: [
    // English
    {
      id: "0d1e7a1a-0000-4000-8002-000000000201",
      kind: "faq",
      question: "Do I need a referral?",
      answer:
        "No referral is needed for private sessions. For state-funded physiotherapy you need a referral from your family doctor.",
      category: "appointments",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000202",
      kind: "faq",
      question: "What should I wear?",
      answer:
        "Wear loose, comfortable clothes so the physiotherapist can see and move the area being treated; shorts are ideal for knee and hip problems.",
      category: "appointments",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000203",
      kind: "faq",
      question: "How much does a session cost?",
      answer:
        "The initial assessment (60 minutes) costs 55 EUR and a follow-up session (45 minutes) costs 45 EUR.",
      category: "prices",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000204",
      kind: "faq",
      question: "How can I pay?",
      answer: "By card or cash at reception, or by bank transfer on an invoice.",
      category: "prices",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000205",
      kind: "faq",
      question: "Where are you?",
      answer:
        "Riverside Physio is at Krasta iela 12, Riga, on the ground floor, five minutes from the Central Market. Trams 7 and 9 stop nearby.",
      category: "location",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000206",
      kind: "faq",
      question: "Is there parking?",
      answer: "Yes, there is free parking for patients in the courtyard behind the building.",
      category: "location",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000207",
      kind: "faq",
      question: "How many sessions will I need?",
      answer:
        "It depends on the problem; most patients need 4 to 6 sessions. Your physiotherapist will suggest a plan after the initial assessment.",
      category: "treatment",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000208",
      kind: "faq",
      question: "Do you treat sports injuries?",
      answer:
        "Yes: sprains, muscle strains, tendon problems and rehabilitation after surgery, including return-to-sport programmes.",
      category: "treatment",
      language: "en",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000209",
      kind: "canned_reply",
      question: "Thank you",
      answer: "You're welcome! Get well soon.",
      category: "general",
      language: "en",
      active: true,
    },
    // Russian
    {
      id: "0d1e7a1a-0000-4000-8002-000000000251",
      kind: "faq",
      question: "Нужно ли направление?",
      answer:
        "Для платных сеансов направление не нужно. Для физиотерапии за государственный счёт нужно направление от семейного врача.",
      category: "appointments",
      language: "ru",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000252",
      kind: "faq",
      question: "Что надеть на приём?",
      answer:
        "Наденьте свободную удобную одежду, чтобы физиотерапевт мог осмотреть область лечения; при проблемах с коленом или бедром лучше взять шорты.",
      category: "appointments",
      language: "ru",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000253",
      kind: "faq",
      question: "Сколько стоит сеанс?",
      answer:
        "Первичная консультация (60 минут) стоит 55 EUR, повторный сеанс (45 минут) — 45 EUR.",
      category: "prices",
      language: "ru",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000254",
      kind: "faq",
      question: "Как можно оплатить?",
      answer: "Картой или наличными на ресепшене, либо банковским переводом по счёту.",
      category: "prices",
      language: "ru",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000255",
      kind: "faq",
      question: "Где вы находитесь?",
      answer:
        "Riverside Physio находится по адресу Krasta iela 12, Рига, на первом этаже, в пяти минутах от Центрального рынка. Рядом останавливаются трамваи 7 и 9.",
      category: "location",
      language: "ru",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000256",
      kind: "faq",
      question: "Есть ли парковка?",
      answer: "Да, во дворе за зданием есть бесплатная парковка для пациентов.",
      category: "location",
      language: "ru",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000257",
      kind: "faq",
      question: "Сколько сеансов мне понадобится?",
      answer:
        "Это зависит от проблемы; обычно нужно 4–6 сеансов. После первичной консультации физиотерапевт предложит план лечения.",
      category: "treatment",
      language: "ru",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000258",
      kind: "faq",
      question: "Вы лечите спортивные травмы?",
      answer:
        "Да: растяжения, травмы мышц и сухожилий, реабилитация после операций, включая программы возвращения в спорт.",
      category: "treatment",
      language: "ru",
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8002-000000000259",
      kind: "canned_reply",
      question: "Спасибо",
      answer: "Пожалуйста! Выздоравливайте.",
      category: "general",
      language: "ru",
      active: true,
    },
  ],
  workingHours: [
    { weekday: 1, opens: "08:00", closes: "19:00" },
    // Tuesday is a split shift: mornings, then evenings for people who work.
    { weekday: 2, opens: "08:00", closes: "12:00" },
    { weekday: 2, opens: "15:00", closes: "20:00" },
    { weekday: 3, opens: "08:00", closes: "19:00" },
    { weekday: 4, opens: "08:00", closes: "19:00" },
    { weekday: 5, opens: "08:00", closes: "16:00" },
    { weekday: 6, opens: "10:00", closes: "14:00" },
  ],
  closures: [
    { startsOn: "2026-06-23", endsOn: "2026-06-24", reason: "Midsummer (Līgo and Jāņi)" },
    { startsOn: "2026-11-18", endsOn: "2026-11-18", reason: "Proclamation Day" },
    { startsOn: "2026-12-24", endsOn: "2026-12-26", reason: "Christmas" },
    { startsOn: "2027-01-01", endsOn: "2027-01-01", reason: "New Year's Day" },
    { startsOn: "2027-03-26", endsOn: "2027-03-29", reason: "Easter" },
    {
      startsOn: "2027-05-03",
      endsOn: "2027-05-04",
      reason: "Labour Day and Restoration of Independence",
    },
    { startsOn: "2027-06-23", endsOn: "2027-06-24", reason: "Midsummer (Līgo and Jāņi)" },
    { startsOn: "2027-11-18", endsOn: "2027-11-18", reason: "Proclamation Day" },
    { startsOn: "2027-12-24", endsOn: "2027-12-26", reason: "Christmas" },
  ],
  services: [
    {
      id: "0d1e7a1a-0000-4000-8003-000000000201",
      name: "Initial assessment",
      durationMinutes: 60,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8003-000000000202",
      name: "Follow-up session",
      durationMinutes: 45,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
      active: true,
    },
    {
      id: "0d1e7a1a-0000-4000-8003-000000000203",
      name: "Sports massage",
      durationMinutes: 60,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      active: true,
    },
  ],
};

export const demoClinics: readonly ReceptionistConfig[] = [northsideDental, riversidePhysio];
