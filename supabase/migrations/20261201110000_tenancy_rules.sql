-- Tenancy rules, closed where a security review and a first-time user found gaps:
--
-- * Languages come from one list, public.languages: the dashboard offers it, the operator
--   script and the database validate against it.
-- * organisations.country (ISO 3166-1 alpha-2) says how to read a national phone number; it
--   defaults to the time zone's country (private.timezone_countries, from tzdata's zone.tab).
-- * The last-owner rule holds under concurrency: keep_an_owner locks the organisation's row
--   before counting owners, so two owners demoting or removing each other serialise.
-- * invite_member replaces a pending invitation only for someone who may withdraw it, and
--   says which role it replaced.
-- * accept_invitation needs the account's confirmed address to be the invited one (a JWT
--   without an email is a mismatch); sign-up accepts only when the address gets confirmed.
-- * "Not found" is SQLSTATE PT404, which PostgREST answers with HTTP 404 (P0002 was a 500).

-- ---------------------------------------------------------------------------
-- Supported languages: one list for the dashboard, the operator script and the database
-- ---------------------------------------------------------------------------

create table public.languages (
  code text primary key check (code ~ '^[a-z]{2}$'),
  name text not null check (char_length(name) between 1 and 60)
);

comment on table public.languages is
  'Languages a clinic''s assistant can speak (ISO 639-1). The only list: the dashboard offers it and the database accepts nothing else.';

revoke all on public.languages from anon, authenticated;
grant select on public.languages to authenticated;
grant all on public.languages to service_role;

alter table public.languages enable row level security;

create policy "signed-in users read the supported languages"
  on public.languages for select
  to authenticated
  using (true);

insert into public.languages (code, name) values
  ('en', 'English'), ('ru', 'Russian'), ('lv', 'Latvian'), ('lt', 'Lithuanian'),
  ('et', 'Estonian'), ('uk', 'Ukrainian'), ('pl', 'Polish'), ('de', 'German'),
  ('fr', 'French'), ('es', 'Spanish'), ('it', 'Italian'), ('pt', 'Portuguese'),
  ('nl', 'Dutch'), ('sv', 'Swedish'), ('fi', 'Finnish');

-- ---------------------------------------------------------------------------
-- Countries and the country of each time zone (tzdata 2025b: iso3166.tab, zone.tab and the
-- links of tzdata.zi, so an old name such as Europe/Kiev finds its country too)
-- ---------------------------------------------------------------------------

create table private.countries (
  code text primary key check (code ~ '^[A-Z]{2}$'),
  name text not null
);

comment on table private.countries is 'ISO 3166-1 alpha-2 codes and English names (tzdata iso3166.tab).';

insert into private.countries (code, name) values
  ('AD', 'Andorra'),
  ('AE', 'United Arab Emirates'),
  ('AF', 'Afghanistan'),
  ('AG', 'Antigua & Barbuda'),
  ('AI', 'Anguilla'),
  ('AL', 'Albania'),
  ('AM', 'Armenia'),
  ('AO', 'Angola'),
  ('AQ', 'Antarctica'),
  ('AR', 'Argentina'),
  ('AS', 'Samoa (American)'),
  ('AT', 'Austria'),
  ('AU', 'Australia'),
  ('AW', 'Aruba'),
  ('AX', 'Åland Islands'),
  ('AZ', 'Azerbaijan'),
  ('BA', 'Bosnia & Herzegovina'),
  ('BB', 'Barbados'),
  ('BD', 'Bangladesh'),
  ('BE', 'Belgium'),
  ('BF', 'Burkina Faso'),
  ('BG', 'Bulgaria'),
  ('BH', 'Bahrain'),
  ('BI', 'Burundi'),
  ('BJ', 'Benin'),
  ('BL', 'St Barthelemy'),
  ('BM', 'Bermuda'),
  ('BN', 'Brunei'),
  ('BO', 'Bolivia'),
  ('BQ', 'Caribbean NL'),
  ('BR', 'Brazil'),
  ('BS', 'Bahamas'),
  ('BT', 'Bhutan'),
  ('BV', 'Bouvet Island'),
  ('BW', 'Botswana'),
  ('BY', 'Belarus'),
  ('BZ', 'Belize'),
  ('CA', 'Canada'),
  ('CC', 'Cocos (Keeling) Islands'),
  ('CD', 'Congo (Dem. Rep.)'),
  ('CF', 'Central African Rep.'),
  ('CG', 'Congo (Rep.)'),
  ('CH', 'Switzerland'),
  ('CI', 'Côte d''Ivoire'),
  ('CK', 'Cook Islands'),
  ('CL', 'Chile'),
  ('CM', 'Cameroon'),
  ('CN', 'China'),
  ('CO', 'Colombia'),
  ('CR', 'Costa Rica'),
  ('CU', 'Cuba'),
  ('CV', 'Cape Verde'),
  ('CW', 'Curaçao'),
  ('CX', 'Christmas Island'),
  ('CY', 'Cyprus'),
  ('CZ', 'Czech Republic'),
  ('DE', 'Germany'),
  ('DJ', 'Djibouti'),
  ('DK', 'Denmark'),
  ('DM', 'Dominica'),
  ('DO', 'Dominican Republic'),
  ('DZ', 'Algeria'),
  ('EC', 'Ecuador'),
  ('EE', 'Estonia'),
  ('EG', 'Egypt'),
  ('EH', 'Western Sahara'),
  ('ER', 'Eritrea'),
  ('ES', 'Spain'),
  ('ET', 'Ethiopia'),
  ('FI', 'Finland'),
  ('FJ', 'Fiji'),
  ('FK', 'Falkland Islands'),
  ('FM', 'Micronesia'),
  ('FO', 'Faroe Islands'),
  ('FR', 'France'),
  ('GA', 'Gabon'),
  ('GB', 'Britain (UK)'),
  ('GD', 'Grenada'),
  ('GE', 'Georgia'),
  ('GF', 'French Guiana'),
  ('GG', 'Guernsey'),
  ('GH', 'Ghana'),
  ('GI', 'Gibraltar'),
  ('GL', 'Greenland'),
  ('GM', 'Gambia'),
  ('GN', 'Guinea'),
  ('GP', 'Guadeloupe'),
  ('GQ', 'Equatorial Guinea'),
  ('GR', 'Greece'),
  ('GS', 'South Georgia & the South Sandwich Islands'),
  ('GT', 'Guatemala'),
  ('GU', 'Guam'),
  ('GW', 'Guinea-Bissau'),
  ('GY', 'Guyana'),
  ('HK', 'Hong Kong'),
  ('HM', 'Heard Island & McDonald Islands'),
  ('HN', 'Honduras'),
  ('HR', 'Croatia'),
  ('HT', 'Haiti'),
  ('HU', 'Hungary'),
  ('ID', 'Indonesia'),
  ('IE', 'Ireland'),
  ('IL', 'Israel'),
  ('IM', 'Isle of Man'),
  ('IN', 'India'),
  ('IO', 'British Indian Ocean Territory'),
  ('IQ', 'Iraq'),
  ('IR', 'Iran'),
  ('IS', 'Iceland'),
  ('IT', 'Italy'),
  ('JE', 'Jersey'),
  ('JM', 'Jamaica'),
  ('JO', 'Jordan'),
  ('JP', 'Japan'),
  ('KE', 'Kenya'),
  ('KG', 'Kyrgyzstan'),
  ('KH', 'Cambodia'),
  ('KI', 'Kiribati'),
  ('KM', 'Comoros'),
  ('KN', 'St Kitts & Nevis'),
  ('KP', 'Korea (North)'),
  ('KR', 'Korea (South)'),
  ('KW', 'Kuwait'),
  ('KY', 'Cayman Islands'),
  ('KZ', 'Kazakhstan'),
  ('LA', 'Laos'),
  ('LB', 'Lebanon'),
  ('LC', 'St Lucia'),
  ('LI', 'Liechtenstein'),
  ('LK', 'Sri Lanka'),
  ('LR', 'Liberia'),
  ('LS', 'Lesotho'),
  ('LT', 'Lithuania'),
  ('LU', 'Luxembourg'),
  ('LV', 'Latvia'),
  ('LY', 'Libya'),
  ('MA', 'Morocco'),
  ('MC', 'Monaco'),
  ('MD', 'Moldova'),
  ('ME', 'Montenegro'),
  ('MF', 'St Martin (French)'),
  ('MG', 'Madagascar'),
  ('MH', 'Marshall Islands'),
  ('MK', 'North Macedonia'),
  ('ML', 'Mali'),
  ('MM', 'Myanmar (Burma)'),
  ('MN', 'Mongolia'),
  ('MO', 'Macau'),
  ('MP', 'Northern Mariana Islands'),
  ('MQ', 'Martinique'),
  ('MR', 'Mauritania'),
  ('MS', 'Montserrat'),
  ('MT', 'Malta'),
  ('MU', 'Mauritius'),
  ('MV', 'Maldives'),
  ('MW', 'Malawi'),
  ('MX', 'Mexico'),
  ('MY', 'Malaysia'),
  ('MZ', 'Mozambique'),
  ('NA', 'Namibia'),
  ('NC', 'New Caledonia'),
  ('NE', 'Niger'),
  ('NF', 'Norfolk Island'),
  ('NG', 'Nigeria'),
  ('NI', 'Nicaragua'),
  ('NL', 'Netherlands'),
  ('NO', 'Norway'),
  ('NP', 'Nepal'),
  ('NR', 'Nauru'),
  ('NU', 'Niue'),
  ('NZ', 'New Zealand'),
  ('OM', 'Oman'),
  ('PA', 'Panama'),
  ('PE', 'Peru'),
  ('PF', 'French Polynesia'),
  ('PG', 'Papua New Guinea'),
  ('PH', 'Philippines'),
  ('PK', 'Pakistan'),
  ('PL', 'Poland'),
  ('PM', 'St Pierre & Miquelon'),
  ('PN', 'Pitcairn'),
  ('PR', 'Puerto Rico'),
  ('PS', 'Palestine'),
  ('PT', 'Portugal'),
  ('PW', 'Palau'),
  ('PY', 'Paraguay'),
  ('QA', 'Qatar'),
  ('RE', 'Réunion'),
  ('RO', 'Romania'),
  ('RS', 'Serbia'),
  ('RU', 'Russia'),
  ('RW', 'Rwanda'),
  ('SA', 'Saudi Arabia'),
  ('SB', 'Solomon Islands'),
  ('SC', 'Seychelles'),
  ('SD', 'Sudan'),
  ('SE', 'Sweden'),
  ('SG', 'Singapore'),
  ('SH', 'St Helena'),
  ('SI', 'Slovenia'),
  ('SJ', 'Svalbard & Jan Mayen'),
  ('SK', 'Slovakia'),
  ('SL', 'Sierra Leone'),
  ('SM', 'San Marino'),
  ('SN', 'Senegal'),
  ('SO', 'Somalia'),
  ('SR', 'Suriname'),
  ('SS', 'South Sudan'),
  ('ST', 'Sao Tome & Principe'),
  ('SV', 'El Salvador'),
  ('SX', 'St Maarten (Dutch)'),
  ('SY', 'Syria'),
  ('SZ', 'Eswatini (Swaziland)'),
  ('TC', 'Turks & Caicos Is'),
  ('TD', 'Chad'),
  ('TF', 'French S. Terr.'),
  ('TG', 'Togo'),
  ('TH', 'Thailand'),
  ('TJ', 'Tajikistan'),
  ('TK', 'Tokelau'),
  ('TL', 'East Timor'),
  ('TM', 'Turkmenistan'),
  ('TN', 'Tunisia'),
  ('TO', 'Tonga'),
  ('TR', 'Turkey'),
  ('TT', 'Trinidad & Tobago'),
  ('TV', 'Tuvalu'),
  ('TW', 'Taiwan'),
  ('TZ', 'Tanzania'),
  ('UA', 'Ukraine'),
  ('UG', 'Uganda'),
  ('UM', 'US minor outlying islands'),
  ('US', 'United States'),
  ('UY', 'Uruguay'),
  ('UZ', 'Uzbekistan'),
  ('VA', 'Vatican City'),
  ('VC', 'St Vincent'),
  ('VE', 'Venezuela'),
  ('VG', 'Virgin Islands (UK)'),
  ('VI', 'Virgin Islands (US)'),
  ('VN', 'Vietnam'),
  ('VU', 'Vanuatu'),
  ('WF', 'Wallis & Futuna'),
  ('WS', 'Samoa (western)'),
  ('YE', 'Yemen'),
  ('YT', 'Mayotte'),
  ('ZA', 'South Africa'),
  ('ZM', 'Zambia'),
  ('ZW', 'Zimbabwe');

create table private.timezone_countries (
  timezone text primary key,
  country text not null references private.countries (code)
);

comment on table private.timezone_countries is
  'The country of each IANA time zone (tzdata zone.tab); UTC and Etc/* zones have none.';

create index timezone_countries_country_idx on private.timezone_countries (country);

insert into private.timezone_countries (timezone, country) values
  ('Africa/Abidjan', 'CI'), ('Africa/Accra', 'GH'), ('Africa/Addis_Ababa', 'ET'), ('Africa/Algiers', 'DZ'),
  ('Africa/Asmara', 'ER'), ('Africa/Asmera', 'KE'), ('Africa/Bamako', 'ML'), ('Africa/Bangui', 'CF'),
  ('Africa/Banjul', 'GM'), ('Africa/Bissau', 'GW'), ('Africa/Blantyre', 'MW'), ('Africa/Brazzaville', 'CG'),
  ('Africa/Bujumbura', 'BI'), ('Africa/Cairo', 'EG'), ('Africa/Casablanca', 'MA'), ('Africa/Ceuta', 'ES'),
  ('Africa/Conakry', 'GN'), ('Africa/Dakar', 'SN'), ('Africa/Dar_es_Salaam', 'TZ'), ('Africa/Djibouti', 'DJ'),
  ('Africa/Douala', 'CM'), ('Africa/El_Aaiun', 'EH'), ('Africa/Freetown', 'SL'), ('Africa/Gaborone', 'BW'),
  ('Africa/Harare', 'ZW'), ('Africa/Johannesburg', 'ZA'), ('Africa/Juba', 'SS'), ('Africa/Kampala', 'UG'),
  ('Africa/Khartoum', 'SD'), ('Africa/Kigali', 'RW'), ('Africa/Kinshasa', 'CD'), ('Africa/Lagos', 'NG'),
  ('Africa/Libreville', 'GA'), ('Africa/Lome', 'TG'), ('Africa/Luanda', 'AO'), ('Africa/Lubumbashi', 'CD'),
  ('Africa/Lusaka', 'ZM'), ('Africa/Malabo', 'GQ'), ('Africa/Maputo', 'MZ'), ('Africa/Maseru', 'LS'),
  ('Africa/Mbabane', 'SZ'), ('Africa/Mogadishu', 'SO'), ('Africa/Monrovia', 'LR'), ('Africa/Nairobi', 'KE'),
  ('Africa/Ndjamena', 'TD'), ('Africa/Niamey', 'NE'), ('Africa/Nouakchott', 'MR'), ('Africa/Ouagadougou', 'BF'),
  ('Africa/Porto-Novo', 'BJ'), ('Africa/Sao_Tome', 'ST'), ('Africa/Timbuktu', 'CI'),
  ('Africa/Tripoli', 'LY'), ('Africa/Tunis', 'TN'), ('Africa/Windhoek', 'NA'), ('America/Adak', 'US'),
  ('America/Anchorage', 'US'), ('America/Anguilla', 'AI'), ('America/Antigua', 'AG'),
  ('America/Araguaina', 'BR'), ('America/Argentina/Buenos_Aires', 'AR'), ('America/Argentina/Catamarca', 'AR'),
  ('America/Argentina/ComodRivadavia', 'AR'), ('America/Argentina/Cordoba', 'AR'), ('America/Argentina/Jujuy', 'AR'),
  ('America/Argentina/La_Rioja', 'AR'), ('America/Argentina/Mendoza', 'AR'), ('America/Argentina/Rio_Gallegos', 'AR'),
  ('America/Argentina/Salta', 'AR'), ('America/Argentina/San_Juan', 'AR'), ('America/Argentina/San_Luis', 'AR'),
  ('America/Argentina/Tucuman', 'AR'), ('America/Argentina/Ushuaia', 'AR'), ('America/Aruba', 'AW'),
  ('America/Asuncion', 'PY'), ('America/Atikokan', 'CA'), ('America/Atka', 'US'), ('America/Bahia', 'BR'),
  ('America/Bahia_Banderas', 'MX'), ('America/Barbados', 'BB'), ('America/Belem', 'BR'),
  ('America/Belize', 'BZ'), ('America/Blanc-Sablon', 'CA'), ('America/Boa_Vista', 'BR'),
  ('America/Bogota', 'CO'), ('America/Boise', 'US'), ('America/Buenos_Aires', 'AR'),
  ('America/Cambridge_Bay', 'CA'), ('America/Campo_Grande', 'BR'), ('America/Cancun', 'MX'),
  ('America/Caracas', 'VE'), ('America/Catamarca', 'AR'), ('America/Cayenne', 'GF'),
  ('America/Cayman', 'KY'), ('America/Chicago', 'US'), ('America/Chihuahua', 'MX'), ('America/Ciudad_Juarez', 'MX'),
  ('America/Coral_Harbour', 'PA'), ('America/Cordoba', 'AR'), ('America/Costa_Rica', 'CR'),
  ('America/Coyhaique', 'CL'), ('America/Creston', 'CA'), ('America/Cuiaba', 'BR'), ('America/Curacao', 'CW'),
  ('America/Danmarkshavn', 'GL'), ('America/Dawson', 'CA'), ('America/Dawson_Creek', 'CA'),
  ('America/Denver', 'US'), ('America/Detroit', 'US'), ('America/Dominica', 'DM'), ('America/Edmonton', 'CA'),
  ('America/Eirunepe', 'BR'), ('America/El_Salvador', 'SV'), ('America/Ensenada', 'MX'),
  ('America/Fort_Nelson', 'CA'), ('America/Fort_Wayne', 'US'), ('America/Fortaleza', 'BR'),
  ('America/Glace_Bay', 'CA'), ('America/Godthab', 'GL'), ('America/Goose_Bay', 'CA'),
  ('America/Grand_Turk', 'TC'), ('America/Grenada', 'GD'), ('America/Guadeloupe', 'GP'),
  ('America/Guatemala', 'GT'), ('America/Guayaquil', 'EC'), ('America/Guyana', 'GY'),
  ('America/Halifax', 'CA'), ('America/Havana', 'CU'), ('America/Hermosillo', 'MX'),
  ('America/Indiana/Indianapolis', 'US'), ('America/Indiana/Knox', 'US'), ('America/Indiana/Marengo', 'US'),
  ('America/Indiana/Petersburg', 'US'), ('America/Indiana/Tell_City', 'US'), ('America/Indiana/Vevay', 'US'),
  ('America/Indiana/Vincennes', 'US'), ('America/Indiana/Winamac', 'US'), ('America/Indianapolis', 'US'),
  ('America/Inuvik', 'CA'), ('America/Iqaluit', 'CA'), ('America/Jamaica', 'JM'), ('America/Jujuy', 'AR'),
  ('America/Juneau', 'US'), ('America/Kentucky/Louisville', 'US'), ('America/Kentucky/Monticello', 'US'),
  ('America/Knox_IN', 'US'), ('America/Kralendijk', 'BQ'), ('America/La_Paz', 'BO'),
  ('America/Lima', 'PE'), ('America/Los_Angeles', 'US'), ('America/Louisville', 'US'),
  ('America/Lower_Princes', 'SX'), ('America/Maceio', 'BR'), ('America/Managua', 'NI'),
  ('America/Manaus', 'BR'), ('America/Marigot', 'MF'), ('America/Martinique', 'MQ'),
  ('America/Matamoros', 'MX'), ('America/Mazatlan', 'MX'), ('America/Mendoza', 'AR'),
  ('America/Menominee', 'US'), ('America/Merida', 'MX'), ('America/Metlakatla', 'US'),
  ('America/Mexico_City', 'MX'), ('America/Miquelon', 'PM'), ('America/Moncton', 'CA'),
  ('America/Monterrey', 'MX'), ('America/Montevideo', 'UY'), ('America/Montreal', 'CA'),
  ('America/Montserrat', 'MS'), ('America/Nassau', 'BS'), ('America/New_York', 'US'),
  ('America/Nipigon', 'CA'), ('America/Nome', 'US'), ('America/Noronha', 'BR'), ('America/North_Dakota/Beulah', 'US'),
  ('America/North_Dakota/Center', 'US'), ('America/North_Dakota/New_Salem', 'US'), ('America/Nuuk', 'GL'),
  ('America/Ojinaga', 'MX'), ('America/Panama', 'PA'), ('America/Pangnirtung', 'CA'),
  ('America/Paramaribo', 'SR'), ('America/Phoenix', 'US'), ('America/Port-au-Prince', 'HT'),
  ('America/Port_of_Spain', 'TT'), ('America/Porto_Acre', 'BR'), ('America/Porto_Velho', 'BR'),
  ('America/Puerto_Rico', 'PR'), ('America/Punta_Arenas', 'CL'), ('America/Rainy_River', 'CA'),
  ('America/Rankin_Inlet', 'CA'), ('America/Recife', 'BR'), ('America/Regina', 'CA'),
  ('America/Resolute', 'CA'), ('America/Rio_Branco', 'BR'), ('America/Rosario', 'AR'),
  ('America/Santa_Isabel', 'MX'), ('America/Santarem', 'BR'), ('America/Santiago', 'CL'),
  ('America/Santo_Domingo', 'DO'), ('America/Sao_Paulo', 'BR'), ('America/Scoresbysund', 'GL'),
  ('America/Shiprock', 'US'), ('America/Sitka', 'US'), ('America/St_Barthelemy', 'BL'),
  ('America/St_Johns', 'CA'), ('America/St_Kitts', 'KN'), ('America/St_Lucia', 'LC'),
  ('America/St_Thomas', 'VI'), ('America/St_Vincent', 'VC'), ('America/Swift_Current', 'CA'),
  ('America/Tegucigalpa', 'HN'), ('America/Thule', 'GL'), ('America/Thunder_Bay', 'CA'),
  ('America/Tijuana', 'MX'), ('America/Toronto', 'CA'), ('America/Tortola', 'VG'), ('America/Vancouver', 'CA'),
  ('America/Virgin', 'PR'), ('America/Whitehorse', 'CA'), ('America/Winnipeg', 'CA'),
  ('America/Yakutat', 'US'), ('America/Yellowknife', 'CA'), ('Antarctica/Casey', 'AQ'),
  ('Antarctica/Davis', 'AQ'), ('Antarctica/DumontDUrville', 'AQ'), ('Antarctica/Macquarie', 'AU'),
  ('Antarctica/Mawson', 'AQ'), ('Antarctica/McMurdo', 'AQ'), ('Antarctica/Palmer', 'AQ'),
  ('Antarctica/Rothera', 'AQ'), ('Antarctica/South_Pole', 'NZ'), ('Antarctica/Syowa', 'AQ'),
  ('Antarctica/Troll', 'AQ'), ('Antarctica/Vostok', 'AQ'), ('Arctic/Longyearbyen', 'SJ'),
  ('Asia/Aden', 'YE'), ('Asia/Almaty', 'KZ'), ('Asia/Amman', 'JO'), ('Asia/Anadyr', 'RU'),
  ('Asia/Aqtau', 'KZ'), ('Asia/Aqtobe', 'KZ'), ('Asia/Ashgabat', 'TM'), ('Asia/Ashkhabad', 'TM'),
  ('Asia/Atyrau', 'KZ'), ('Asia/Baghdad', 'IQ'), ('Asia/Bahrain', 'BH'), ('Asia/Baku', 'AZ'),
  ('Asia/Bangkok', 'TH'), ('Asia/Barnaul', 'RU'), ('Asia/Beirut', 'LB'), ('Asia/Bishkek', 'KG'),
  ('Asia/Brunei', 'BN'), ('Asia/Calcutta', 'IN'), ('Asia/Chita', 'RU'), ('Asia/Choibalsan', 'MN'),
  ('Asia/Chongqing', 'CN'), ('Asia/Chungking', 'CN'), ('Asia/Colombo', 'LK'), ('Asia/Dacca', 'BD'),
  ('Asia/Damascus', 'SY'), ('Asia/Dhaka', 'BD'), ('Asia/Dili', 'TL'), ('Asia/Dubai', 'AE'),
  ('Asia/Dushanbe', 'TJ'), ('Asia/Famagusta', 'CY'), ('Asia/Gaza', 'PS'), ('Asia/Harbin', 'CN'),
  ('Asia/Hebron', 'PS'), ('Asia/Ho_Chi_Minh', 'VN'), ('Asia/Hong_Kong', 'HK'), ('Asia/Hovd', 'MN'),
  ('Asia/Irkutsk', 'RU'), ('Asia/Istanbul', 'TR'), ('Asia/Jakarta', 'ID'), ('Asia/Jayapura', 'ID'),
  ('Asia/Jerusalem', 'IL'), ('Asia/Kabul', 'AF'), ('Asia/Kamchatka', 'RU'), ('Asia/Karachi', 'PK'),
  ('Asia/Kashgar', 'CN'), ('Asia/Kathmandu', 'NP'), ('Asia/Katmandu', 'NP'), ('Asia/Khandyga', 'RU'),
  ('Asia/Kolkata', 'IN'), ('Asia/Krasnoyarsk', 'RU'), ('Asia/Kuala_Lumpur', 'MY'), ('Asia/Kuching', 'MY'),
  ('Asia/Kuwait', 'KW'), ('Asia/Macao', 'MO'), ('Asia/Macau', 'MO'), ('Asia/Magadan', 'RU'),
  ('Asia/Makassar', 'ID'), ('Asia/Manila', 'PH'), ('Asia/Muscat', 'OM'), ('Asia/Nicosia', 'CY'),
  ('Asia/Novokuznetsk', 'RU'), ('Asia/Novosibirsk', 'RU'), ('Asia/Omsk', 'RU'), ('Asia/Oral', 'KZ'),
  ('Asia/Phnom_Penh', 'KH'), ('Asia/Pontianak', 'ID'), ('Asia/Pyongyang', 'KP'), ('Asia/Qatar', 'QA'),
  ('Asia/Qostanay', 'KZ'), ('Asia/Qyzylorda', 'KZ'), ('Asia/Rangoon', 'MM'), ('Asia/Riyadh', 'SA'),
  ('Asia/Saigon', 'VN'), ('Asia/Sakhalin', 'RU'), ('Asia/Samarkand', 'UZ'), ('Asia/Seoul', 'KR'),
  ('Asia/Shanghai', 'CN'), ('Asia/Singapore', 'SG'), ('Asia/Srednekolymsk', 'RU'), ('Asia/Taipei', 'TW'),
  ('Asia/Tashkent', 'UZ'), ('Asia/Tbilisi', 'GE'), ('Asia/Tehran', 'IR'), ('Asia/Tel_Aviv', 'IL'),
  ('Asia/Thimbu', 'BT'), ('Asia/Thimphu', 'BT'), ('Asia/Tokyo', 'JP'), ('Asia/Tomsk', 'RU'),
  ('Asia/Ujung_Pandang', 'ID'), ('Asia/Ulaanbaatar', 'MN'), ('Asia/Ulan_Bator', 'MN'),
  ('Asia/Urumqi', 'CN'), ('Asia/Ust-Nera', 'RU'), ('Asia/Vientiane', 'LA'), ('Asia/Vladivostok', 'RU'),
  ('Asia/Yakutsk', 'RU'), ('Asia/Yangon', 'MM'), ('Asia/Yekaterinburg', 'RU'), ('Asia/Yerevan', 'AM'),
  ('Atlantic/Azores', 'PT'), ('Atlantic/Bermuda', 'BM'), ('Atlantic/Canary', 'ES'), ('Atlantic/Cape_Verde', 'CV'),
  ('Atlantic/Faeroe', 'FO'), ('Atlantic/Faroe', 'FO'), ('Atlantic/Jan_Mayen', 'DE'),
  ('Atlantic/Madeira', 'PT'), ('Atlantic/Reykjavik', 'IS'), ('Atlantic/South_Georgia', 'GS'),
  ('Atlantic/St_Helena', 'SH'), ('Atlantic/Stanley', 'FK'), ('Australia/ACT', 'AU'),
  ('Australia/Adelaide', 'AU'), ('Australia/Brisbane', 'AU'), ('Australia/Broken_Hill', 'AU'),
  ('Australia/Canberra', 'AU'), ('Australia/Currie', 'AU'), ('Australia/Darwin', 'AU'),
  ('Australia/Eucla', 'AU'), ('Australia/Hobart', 'AU'), ('Australia/LHI', 'AU'), ('Australia/Lindeman', 'AU'),
  ('Australia/Lord_Howe', 'AU'), ('Australia/Melbourne', 'AU'), ('Australia/NSW', 'AU'),
  ('Australia/North', 'AU'), ('Australia/Perth', 'AU'), ('Australia/Queensland', 'AU'),
  ('Australia/South', 'AU'), ('Australia/Sydney', 'AU'), ('Australia/Tasmania', 'AU'),
  ('Australia/Victoria', 'AU'), ('Australia/West', 'AU'), ('Australia/Yancowinna', 'AU'),
  ('Brazil/Acre', 'BR'), ('Brazil/DeNoronha', 'BR'), ('Brazil/East', 'BR'), ('Brazil/West', 'BR'),
  ('Canada/Atlantic', 'CA'), ('Canada/Central', 'CA'), ('Canada/Eastern', 'CA'), ('Canada/Mountain', 'CA'),
  ('Canada/Newfoundland', 'CA'), ('Canada/Pacific', 'CA'), ('Canada/Saskatchewan', 'CA'),
  ('Canada/Yukon', 'CA'), ('Chile/Continental', 'CL'), ('Chile/EasterIsland', 'CL'),
  ('Cuba', 'CU'), ('Egypt', 'EG'), ('Eire', 'IE'), ('Europe/Amsterdam', 'NL'), ('Europe/Andorra', 'AD'),
  ('Europe/Astrakhan', 'RU'), ('Europe/Athens', 'GR'), ('Europe/Belfast', 'GB'), ('Europe/Belgrade', 'RS'),
  ('Europe/Berlin', 'DE'), ('Europe/Bratislava', 'SK'), ('Europe/Brussels', 'BE'), ('Europe/Bucharest', 'RO'),
  ('Europe/Budapest', 'HU'), ('Europe/Busingen', 'DE'), ('Europe/Chisinau', 'MD'), ('Europe/Copenhagen', 'DK'),
  ('Europe/Dublin', 'IE'), ('Europe/Gibraltar', 'GI'), ('Europe/Guernsey', 'GG'), ('Europe/Helsinki', 'FI'),
  ('Europe/Isle_of_Man', 'IM'), ('Europe/Istanbul', 'TR'), ('Europe/Jersey', 'JE'), ('Europe/Kaliningrad', 'RU'),
  ('Europe/Kiev', 'UA'), ('Europe/Kirov', 'RU'), ('Europe/Kyiv', 'UA'), ('Europe/Lisbon', 'PT'),
  ('Europe/Ljubljana', 'SI'), ('Europe/London', 'GB'), ('Europe/Luxembourg', 'LU'), ('Europe/Madrid', 'ES'),
  ('Europe/Malta', 'MT'), ('Europe/Mariehamn', 'AX'), ('Europe/Minsk', 'BY'), ('Europe/Monaco', 'MC'),
  ('Europe/Moscow', 'RU'), ('Europe/Nicosia', 'CY'), ('Europe/Oslo', 'NO'), ('Europe/Paris', 'FR'),
  ('Europe/Podgorica', 'ME'), ('Europe/Prague', 'CZ'), ('Europe/Riga', 'LV'), ('Europe/Rome', 'IT'),
  ('Europe/Samara', 'RU'), ('Europe/San_Marino', 'SM'), ('Europe/Sarajevo', 'BA'), ('Europe/Saratov', 'RU'),
  ('Europe/Simferopol', 'UA'), ('Europe/Skopje', 'MK'), ('Europe/Sofia', 'BG'), ('Europe/Stockholm', 'SE'),
  ('Europe/Tallinn', 'EE'), ('Europe/Tirane', 'AL'), ('Europe/Tiraspol', 'MD'), ('Europe/Ulyanovsk', 'RU'),
  ('Europe/Uzhgorod', 'UA'), ('Europe/Vaduz', 'LI'), ('Europe/Vatican', 'VA'), ('Europe/Vienna', 'AT'),
  ('Europe/Vilnius', 'LT'), ('Europe/Volgograd', 'RU'), ('Europe/Warsaw', 'PL'), ('Europe/Zagreb', 'HR'),
  ('Europe/Zaporozhye', 'UA'), ('Europe/Zurich', 'CH'), ('GB', 'GB'), ('GB-Eire', 'GB'),
  ('Hongkong', 'HK'), ('Iceland', 'CI'), ('Indian/Antananarivo', 'MG'), ('Indian/Chagos', 'IO'),
  ('Indian/Christmas', 'CX'), ('Indian/Cocos', 'CC'), ('Indian/Comoro', 'KM'), ('Indian/Kerguelen', 'TF'),
  ('Indian/Mahe', 'SC'), ('Indian/Maldives', 'MV'), ('Indian/Mauritius', 'MU'), ('Indian/Mayotte', 'YT'),
  ('Indian/Reunion', 'RE'), ('Iran', 'IR'), ('Israel', 'IL'), ('Jamaica', 'JM'), ('Japan', 'JP'),
  ('Kwajalein', 'MH'), ('Libya', 'LY'), ('Mexico/BajaNorte', 'MX'), ('Mexico/BajaSur', 'MX'),
  ('Mexico/General', 'MX'), ('NZ', 'NZ'), ('NZ-CHAT', 'NZ'), ('Navajo', 'US'), ('PRC', 'CN'),
  ('Pacific/Apia', 'WS'), ('Pacific/Auckland', 'NZ'), ('Pacific/Bougainville', 'PG'),
  ('Pacific/Chatham', 'NZ'), ('Pacific/Chuuk', 'FM'), ('Pacific/Easter', 'CL'), ('Pacific/Efate', 'VU'),
  ('Pacific/Enderbury', 'KI'), ('Pacific/Fakaofo', 'TK'), ('Pacific/Fiji', 'FJ'), ('Pacific/Funafuti', 'TV'),
  ('Pacific/Galapagos', 'EC'), ('Pacific/Gambier', 'PF'), ('Pacific/Guadalcanal', 'SB'),
  ('Pacific/Guam', 'GU'), ('Pacific/Honolulu', 'US'), ('Pacific/Johnston', 'US'), ('Pacific/Kanton', 'KI'),
  ('Pacific/Kiritimati', 'KI'), ('Pacific/Kosrae', 'FM'), ('Pacific/Kwajalein', 'MH'),
  ('Pacific/Majuro', 'MH'), ('Pacific/Marquesas', 'PF'), ('Pacific/Midway', 'UM'), ('Pacific/Nauru', 'NR'),
  ('Pacific/Niue', 'NU'), ('Pacific/Norfolk', 'NF'), ('Pacific/Noumea', 'NC'), ('Pacific/Pago_Pago', 'AS'),
  ('Pacific/Palau', 'PW'), ('Pacific/Pitcairn', 'PN'), ('Pacific/Pohnpei', 'FM'), ('Pacific/Ponape', 'SB'),
  ('Pacific/Port_Moresby', 'PG'), ('Pacific/Rarotonga', 'CK'), ('Pacific/Saipan', 'MP'),
  ('Pacific/Samoa', 'AS'), ('Pacific/Tahiti', 'PF'), ('Pacific/Tarawa', 'KI'), ('Pacific/Tongatapu', 'TO'),
  ('Pacific/Truk', 'PG'), ('Pacific/Wake', 'UM'), ('Pacific/Wallis', 'WF'), ('Pacific/Yap', 'PG'),
  ('Poland', 'PL'), ('Portugal', 'PT'), ('ROC', 'TW'), ('ROK', 'KR'), ('Singapore', 'SG'),
  ('Turkey', 'TR'), ('US/Alaska', 'US'), ('US/Aleutian', 'US'), ('US/Arizona', 'US'),
  ('US/Central', 'US'), ('US/East-Indiana', 'US'), ('US/Eastern', 'US'), ('US/Hawaii', 'US'),
  ('US/Indiana-Starke', 'US'), ('US/Michigan', 'US'), ('US/Mountain', 'US'), ('US/Pacific', 'US'),
  ('US/Samoa', 'AS'), ('W-SU', 'RU');

-- The organisation trigger reads both as the writing user.
grant select on private.countries, private.timezone_countries to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- organisations.country
-- ---------------------------------------------------------------------------

alter table public.organisations add column country text
  check (country ~ '^[A-Z]{2}$');

-- A clinic in a zone of no country (UTC, Etc/*) says nothing of where it is: such rows, if
-- any, get GB, the demo's and the product's home, to be corrected in the dashboard.
update public.organisations o
set country = coalesce(
  (select t.country from private.timezone_countries t where t.timezone = o.timezone), 'GB');

alter table public.organisations alter column country set not null;

comment on column public.organisations.country is
  'ISO 3166-1 alpha-2; how national phone numbers are read. Defaults to the time zone''s country.';
comment on column public.organisations.languages is
  'Languages the assistant speaks: codes of public.languages.';

grant update (country) on public.organisations to authenticated;

create or replace function private.validate_organisation()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  lang text;
  unknown text[];
begin
  new.name := btrim(new.name);
  if char_length(new.name) not between 1 and 120 then
    raise exception 'A clinic name needs 1 to 120 characters' using errcode = '22023';
  end if;
  if new.slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' or char_length(new.slug) not between 2 and 63 then
    raise exception 'The address "%" may only use lower-case letters, digits and single dashes (2–63 characters)', new.slug
      using errcode = '22023';
  end if;
  if cardinality(new.languages) not between 1 and 10 then
    raise exception 'Choose between 1 and 10 languages' using errcode = '22023';
  end if;
  if not exists (select from pg_catalog.pg_timezone_names where name = new.timezone) then
    raise exception 'Unknown time zone "%"', new.timezone
      using errcode = '22023', hint = 'Use an IANA name such as Europe/London.';
  end if;
  -- Rows written before the list existed keep their languages until they change them.
  if tg_op = 'INSERT' or new.languages is distinct from old.languages then
    foreach lang in array new.languages loop
      if not exists (select from public.languages l where l.code = lang) then
        raise exception 'Unknown language code "%"', lang
          using errcode = '22023',
            hint = 'Supported: ' || (select string_agg(l.code, ', ' order by l.code) from public.languages l) || '.';
      end if;
    end loop;
    if cardinality(new.languages) <> (select count(distinct l) from unnest(new.languages) l) then
      raise exception 'Each language can be chosen once' using errcode = '22023';
    end if;
  end if;
  if not new.default_language = any (new.languages) then
    raise exception 'The default language "%" is not one of the organisation''s languages', new.default_language
      using errcode = '22023';
  end if;
  new.country := upper(nullif(btrim(new.country), ''));
  if new.country is null and tg_op = 'INSERT' then
    -- A zone of no country (UTC, Etc/*: a browser or server that says nothing of where the
    -- clinic is) gives GB, the backfill's default, which the clinic can change in its settings.
    new.country := coalesce(
      (select t.country from private.timezone_countries t where t.timezone = new.timezone), 'GB');
  end if;
  if new.country is null or not exists (select from private.countries c where c.code = new.country) then
    raise exception 'Unknown country code "%"', coalesce(new.country, '')
      using errcode = '22023', hint = 'Use an ISO 3166-1 alpha-2 code such as GB or LV.';
  end if;
  return new;
end
$$;

-- ---------------------------------------------------------------------------
-- The last owner, under concurrency
-- ---------------------------------------------------------------------------

-- Security definer: it locks the organisation's row whoever changes a membership (an RPC, the
-- service role, or Auth deleting an account and its memberships with it).
create or replace function private.keep_an_owner()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  clinic text;
begin
  if old.role <> 'owner' or (tg_op = 'UPDATE' and new.role = 'owner') then
    return coalesce(new, old);
  end if;
  -- Every change that can remove an owner takes this lock first, so the count below sees the
  -- committed outcome of a concurrent demotion or removal (each statement of this function
  -- takes a fresh snapshot). No key update: adding members (key share) is not held up.
  select o.name into clinic
  from public.organisations o
  where o.id = old.organisation_id
  for no key update;
  if not found then
    return old; -- the organisation itself is being deleted; its members go with it
  end if;
  if not exists (
    select from public.organisation_members m
    where m.organisation_id = old.organisation_id
      and m.role = 'owner'
      and m.user_id <> old.user_id
  ) then
    if tg_op = 'DELETE' and not exists (select from auth.users u where u.id = old.user_id) then
      raise exception 'This account is the only owner of %', clinic
        using errcode = '23514',
          hint = 'Make another member an owner of the clinic, or delete the clinic, before deleting the account.';
    end if;
    raise exception 'An organisation must keep at least one owner'
      using errcode = '23514', hint = 'Make another member an owner first, or delete the organisation.';
  end if;
  return coalesce(new, old);
end
$$;

revoke all on function private.keep_an_owner() from public;

-- ---------------------------------------------------------------------------
-- RPCs
-- ---------------------------------------------------------------------------

drop function public.create_organisation(text, text, text[], text, text);

create function public.create_organisation(
  name text,
  timezone text default 'UTC',
  languages text[] default array['en'],
  default_language text default null,
  slug text default null,
  country text default null
)
returns public.organisations
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  base_slug text := coalesce(nullif(slug, ''), private.slugify(name));
  chosen_slug text := base_slug;
  attempt int := 1;
  created public.organisations;
begin
  if caller is null then
    raise exception 'Sign in to create an organisation' using errcode = '42501';
  end if;
  if char_length(coalesce(base_slug, '')) < 2 then
    base_slug := 'clinic';
    chosen_slug := base_slug;
  end if;
  -- A slug the caller did not choose gets a numeric suffix instead of failing.
  while slug is null and exists (select from public.organisations o where o.slug = chosen_slug) loop
    attempt := attempt + 1;
    chosen_slug := left(base_slug, 58) || '-' || attempt;
  end loop;
  if exists (select from public.organisations o where o.slug = chosen_slug) then
    raise exception 'The address "%" is already taken', chosen_slug
      using errcode = '23505', hint = 'Choose another slug.';
  end if;
  insert into public.organisations (name, slug, timezone, languages, default_language, country)
  values (name, chosen_slug, timezone, languages, coalesce(default_language, languages[1]), country)
  returning * into created;
  insert into public.organisation_members (organisation_id, user_id, role)
  values (created.id, caller, 'owner');
  return created;
end
$$;

comment on function public.create_organisation(text, text, text[], text, text, text) is
  'Onboarding: creates an organisation; the caller becomes its owner. country defaults to the time zone''s.';

revoke all on function public.create_organisation(text, text, text[], text, text, text) from public, anon;
grant execute on function public.create_organisation(text, text, text[], text, text, text) to authenticated;

drop function public.invite_member(uuid, text, public.organisation_role);

create function public.invite_member(
  organisation_id uuid,
  email text,
  role public.organisation_role default 'member'
)
returns table (
  invitation_id uuid,
  invited_email text,
  invited_role public.organisation_role,
  expires_at timestamptz,
  token text,
  replaced_role public.organisation_role
)
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  caller_role public.organisation_role := private.role_in_organisation(target_org);
  normalised text := lower(btrim(coalesce(email, '')));
  plain_token text := encode(extensions.gen_random_bytes(24), 'hex');
  pending public.organisation_invitations;
  invitation public.organisation_invitations;
begin
  if caller_role is null or caller_role = 'member' then
    raise exception 'Only owners and admins can invite people' using errcode = '42501';
  end if;
  if role is null then
    raise exception 'Choose a role for the invitation' using errcode = '22023';
  end if;
  if role = 'owner' and caller_role <> 'owner' then
    raise exception 'Only owners can invite owners' using errcode = '42501';
  end if;
  if normalised !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    raise exception '"%" is not an email address', coalesce(email, '') using errcode = '22023';
  end if;
  if exists (
    select from public.organisation_members m
    join auth.users u on u.id = m.user_id
    where m.organisation_id = target_org and lower(u.email) = normalised
  ) then
    raise exception '% is already a member', normalised using errcode = '23505';
  end if;
  -- Inviting the same address again replaces the open invitation (a fresh link), which is
  -- withdrawing it: only those who may withdraw it may replace it.
  select * into pending
  from public.organisation_invitations i
  where i.organisation_id = target_org and i.email = normalised
    and i.accepted_at is null and i.revoked_at is null
  for update;
  if pending.id is not null then
    if pending.role = 'owner' and caller_role <> 'owner' then
      raise exception '% has a pending invitation to become an owner, which only owners can replace', normalised
        using errcode = '42501', hint = 'Ask an owner to change or withdraw it.';
    end if;
    update public.organisation_invitations i set revoked_at = now() where i.id = pending.id;
  end if;
  insert into public.organisation_invitations (organisation_id, email, role, token_hash, invited_by)
  values (target_org, normalised, role, extensions.digest(plain_token, 'sha256'), (select auth.uid()))
  returning * into invitation;
  return query select invitation.id, invitation.email, invitation.role, invitation.expires_at,
    plain_token, pending.role;
end
$$;

comment on function public.invite_member(uuid, text, public.organisation_role) is
  'Owners and admins invite an email address; returns the plain token once, for the link, and the role of the pending invitation it replaced (null if none).';

revoke all on function public.invite_member(uuid, text, public.organisation_role) from public, anon;
grant execute on function public.invite_member(uuid, text, public.organisation_role) to authenticated;

create or replace function public.accept_invitation(token text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  invitation public.organisation_invitations;
  account record;
begin
  if caller is null then
    raise exception 'Sign in to accept an invitation' using errcode = '42501';
  end if;
  select * into invitation
  from public.organisation_invitations i
  where i.token_hash = extensions.digest(coalesce(token, ''), 'sha256')
  for update;
  if not found or invitation.revoked_at is not null then
    raise exception 'This invitation is not valid (it may have been withdrawn)'
      using errcode = 'PT404', hint = 'Ask the clinic for a new invitation.';
  end if;
  if invitation.accepted_at is not null then
    -- Accepted at sign-up already (the trigger below) or a double click: not an error.
    if invitation.accepted_by = caller then
      return invitation.organisation_id;
    end if;
    raise exception 'This invitation has already been used' using errcode = '22023';
  end if;
  if invitation.expires_at <= now() then
    raise exception 'This invitation has expired' using errcode = '22023',
      hint = 'Ask the clinic for a new invitation.';
  end if;
  -- The signed-in account's own, confirmed address must be the invited one; a token without
  -- an email (a phone or anonymous sign-in) is a mismatch.
  select u.email, u.email_confirmed_at into account from auth.users u where u.id = caller;
  if coalesce(lower((select auth.email())), '') <> invitation.email
    or coalesce(lower(account.email), '') <> invitation.email then
    raise exception 'This invitation was sent to another email address' using errcode = '42501',
      hint = 'Sign in with the address the invitation was sent to.';
  end if;
  if account.email_confirmed_at is null then
    raise exception 'Confirm your email address first' using errcode = '42501',
      hint = 'Open the link in the confirmation mail, then the invitation again.';
  end if;
  perform private.join_from_invitation(invitation, caller);
  return invitation.organisation_id;
end
$$;

create or replace function public.update_member_role(
  organisation_id uuid,
  user_id uuid,
  role public.organisation_role
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  target_user uuid := user_id;
begin
  if private.role_in_organisation(target_org) is distinct from 'owner' then
    raise exception 'Only owners can change roles' using errcode = '42501';
  end if;
  if role is null then
    raise exception 'Choose a role' using errcode = '22023';
  end if;
  update public.organisation_members m
  set role = update_member_role.role
  where m.organisation_id = target_org and m.user_id = target_user;
  if not found then
    raise exception 'That person is not a member of this organisation' using errcode = 'PT404';
  end if;
end
$$;

create or replace function public.remove_member(organisation_id uuid, user_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  target_org uuid := organisation_id;
  target_user uuid := user_id;
  caller_role public.organisation_role := private.role_in_organisation(target_org);
  target_role public.organisation_role;
begin
  if caller_role is null then
    raise exception 'You are not a member of this organisation' using errcode = '42501';
  end if;
  select m.role into target_role
  from public.organisation_members m
  where m.organisation_id = target_org and m.user_id = target_user;
  if target_role is null then
    raise exception 'That person is not a member of this organisation' using errcode = 'PT404';
  end if;
  -- Anyone may leave; owners remove anyone; admins remove members and admins.
  if target_user <> (select auth.uid()) then
    if caller_role = 'member' then
      raise exception 'Only owners and admins can remove people' using errcode = '42501';
    end if;
    if caller_role = 'admin' and target_role = 'owner' then
      raise exception 'Admins cannot remove an owner' using errcode = '42501';
    end if;
  end if;
  delete from public.organisation_members m
  where m.organisation_id = target_org and m.user_id = target_user;
end
$$;

-- ---------------------------------------------------------------------------
-- Sign-up accepts pending invitations only when the address is proven
-- ---------------------------------------------------------------------------

-- Fires when an address becomes confirmed: at insert (a user created confirmed) or when
-- email_confirmed_at changes. Not on an update that merely repeats the column (a full-row
-- save), nor on an email change, which keeps the old address's confirmation time.
drop trigger on_auth_user_email_confirmed_accept_invitations on auth.users;

-- Triggers fire in name order: this one must come after on_auth_user_created_create_profile
-- (memberships reference profiles).
create trigger on_auth_user_email_confirmed_accept_invitations
  after insert on auth.users
  for each row
  when (new.email_confirmed_at is not null and new.email is not null)
  execute function private.accept_pending_invitations();

create trigger on_auth_user_email_confirmed_later_accept_invitations
  after update of email_confirmed_at on auth.users
  for each row
  when (new.email_confirmed_at is not null and new.email is not null
    and old.email_confirmed_at is distinct from new.email_confirmed_at)
  execute function private.accept_pending_invitations();
