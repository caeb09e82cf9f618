"""Name pools and transliteration for the synthetic demo data set.

Every pool holds common given names and surnames of one nationality, each paired with the
Arabic spelling an Iraqi register would use. People are made by combining pool entries at
random, so nobody in the demo is a real person; names of real children that appear in the
sources (domain.md §5: "Adlan Dakaev", "Khadija Huseinova") are deliberately absent.

What the pools reproduce (domain.md §5, "Names"):
- one child, several spellings: Arabic (prison register, court record) written by ear, the
  home state's own script (Cyrillic, Latin with national letters, Georgian), and Latin
  passport forms under two transliteration schemes ("Khadizhat Alieva" / "Hadijat Aliyeva");
- gendered surnames (-ov/-ova, -ev/-eva, -in/-ina) in Slavic, Central Asian and Azerbaijani
  naming, gender-neutral ones elsewhere (-zoda, -enko, -shvili, Turkish and Western names);
- patronymics (Russian -ovich/-ovna, Ukrainian -ivna, Azerbaijani oğlu/qızı);
- kunyas ("أبو حمزة الداغستاني"): "Abu" + a name + an origin label, never a surname.

Pools are written "native=arabic|native=arabic"; for Algeria the native form is the
French-style Latin spelling and the home-state record is Arabic.
"""

import unicodedata
from dataclasses import dataclass

from homeward.core.normalise import detect_script

__all__ = [
    "NATIONALITIES",
    "Group",
    "Nationality",
    "arabic_variant",
    "feminine_surname",
    "kunya",
    "latin_variants",
    "patronymic",
    "script_of",
]

Pair = tuple[str, str]


def _pairs(text: str) -> tuple[Pair, ...]:
    """Parse "native=arabic|native=arabic" into (native, arabic) pairs."""
    pairs = []
    for item in text.split("|"):
        native, arabic = item.split("=")
        pairs.append((native.strip(), arabic.strip()))
    return tuple(pairs)


@dataclass(frozen=True)
class Group:
    """A community within a nationality: its surnames, origin label and birthplaces."""

    label: str
    weight: int
    nisba: str  # Arabic origin label used in kunyas, masculine ("الداغستاني")
    surnames: tuple[Pair, ...]
    birthplaces: tuple[str, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Nationality:
    """How one home state's people are named, and where they come from."""

    code: str
    country: str  # short English name, for "Embassy of <country>"
    script: str  # script of the home-state record: Cyrl, Latn, Zyyy (Georgian), Arab
    language: str  # language code of the home-state record
    gendered_surnames: bool
    patronymic: str  # "slavic", "ukrainian", "azerbaijani" or ""
    male: tuple[Pair, ...]
    female: tuple[Pair, ...]
    groups: tuple[Group, ...]


# -- pools ---------------------------------------------------------------------------------

RU_MALE = _pairs(
    "Магомед=محمد|Мухаммад=محمد|Ахмед=أحمد|Абдулла=عبد الله|Умар=عمر|Хамза=حمزة|Ибрагим=إبراهيم"
    "|Муса=موسى|Иса=عيسى|Юсуф=يوسف|Адам=آدم|Али=علي|Хасан=حسن|Хусейн=حسين|Салман=سلمان"
    "|Идрис=إدريس|Билал=بلال|Абубакар=أبو بكر|Сулейман=سليمان|Халид=خالد|Абдурахман=عبد الرحمن"
    "|Рамазан=رمضان|Шамиль=شامل|Ислам=إسلام|Саид=سعيد|Мансур=منصور|Юнус=يونس|Исмаил=إسماعيل"
)
RU_FEMALE = _pairs(
    "Хадижат=خديجة|Фатима=فاطمة|Аминат=آمنة|Марьям=مريم|Айша=عائشة|Асият=آسيا|Патимат=فاطمة"
    "|Зайнаб=زينب|Хава=حواء|Сафия=صفية|Сумайя=سمية|Асма=أسماء|Хафса=حفصة|Мадина=مدينة"
    "|Загидат=زاهدة|Халимат=حليمة|Джамиля=جميلة|Рукия=رقية|Милана=ميلانا|Макка=مكة|Ясмина=ياسمينة"
)
RU_DAGESTAN = _pairs(
    "Магомедов=محمدوف|Алиев=علييف|Гаджиев=حاجييف|Абдуллаев=عبد اللاييف|Омаров=عمروف"
    "|Исмаилов=إسماعيلوف|Рамазанов=رمضانوف|Курбанов=قربانوف|Идрисов=إدريسوف|Джабраилов=جبرائيلوف"
    "|Муртазалиев=مرتضاليف|Сулейманов=سليمانوف|Гасанов=غاسانوف|Гусейнов=غوسينوف|Абакаров=أباكاروف"
    "|Алибеков=عليبيكوف|Шахбанов=شاهبانوف|Мирзоев=ميرزوييف|Юсупов=يوسوبوف|Гаджимурадов=حاجي مرادوف"
)
RU_CHECHNYA = _pairs(
    "Исаев=عيساييف|Ибрагимов=إبراهيموف|Эльмурзаев=إلمورزاييف|Хамзатов=حمزاتوف|Батаев=باتاييف"
    "|Эдиев=إيدييف|Ахмадов=أحمدوف|Мусаев=موساييف|Умаров=عمروف|Вахаев=فاخاييف|Бисултанов=بيسولطانوف"
    "|Муцаев=موتساييف|Гайрбеков=غايربيكوف|Закриев=زكرييف|Межидов=مجيدوف|Солтаев=سولتاييف"
)
RU_OTHER = _pairs(
    "Иванов=إيفانوف|Смирнов=سميرنوف|Кузнецов=كوزنيتسوف|Соколов=سوكولوف|Лебедев=ليبيديف"
    "|Галиев=غالييف|Сафин=صافين|Гарипов=غاريبوف|Валиев=فالييف|Хабибуллин=خابيبولين"
)

TJ_MALE = _pairs(
    "Муҳаммад=محمد|Абдулло=عبد الله|Умар=عمر|Юсуф=يوسف|Иброҳим=إبراهيم|Алӣ=علي|Ҳамза=حمزة"
    "|Исмоил=إسماعيل|Абубакр=أبو بكر|Саид=سعيد|Фирдавс=فردوس|Сомон=سامان|Фарҳод=فرهاد"
    "|Далер=دلير|Шамсуддин=شمس الدين|Муслим=مسلم|Ҳусайн=حسين|Раҳмон=رحمان"
)
TJ_FEMALE = _pairs(
    "Фотима=فاطمة|Ойша=عائشة|Марям=مريم|Зайнаб=زينب|Мадина=مدينة|Нигина=نيغينا|Сумайя=سمية"
    "|Хадича=خديجة|Меҳрона=مهرونا|Парвина=بروينا|Шаҳло=شهلا|Зарина=زرينة|Ҳафса=حفصة"
    "|Муниса=مونسة|Осиё=آسيا"
)
TJ_SURNAMES = _pairs(
    "Раҳимов=رحيموف|Назаров=نزاروف|Шарипов=شريبوف|Каримов=كريموف|Саидов=سعيدوف|Ҳакимов=حكيموف"
    "|Исмоилов=إسماعيلوف|Мирзоев=ميرزوييف|Давлатов=دولتوف|Одинаев=أودينايف|Сафаров=صفروف"
    "|Қурбонов=قربونوف|Раҷабов=رجبوف|Ашуров=عاشوروف|Раҳимзода=رحيم زاده|Шарифзода=شريف زاده"
    "|Саидзода=سعيد زاده|Назарзода=نظر زاده|Қодирзода=قادر زاده"
)

AZ_MALE = _pairs(
    "Məhəmməd=محمد|Əli=علي|Hüseyn=حسين|Ömər=عمر|Yusif=يوسف|İbrahim=إبراهيم|Əbdülləh=عبد الله"
    "|Həmzə=حمزة|İsmayıl=إسماعيل|Bilal=بلال|Murad=مراد|Elvin=إلفين|Tural=تورال|Rəsul=رسول"
    "|Səid=سعيد|Mikayıl=ميكائيل|Yaqub=يعقوب|Əbubəkr=أبو بكر"
)
AZ_FEMALE = _pairs(
    "Fatimə=فاطمة|Ayşə=عائشة|Məryəm=مريم|Zəhra=زهراء|Xədicə=خديجة|Zeynəb=زينب|Aysel=آيسل"
    "|Leyla=ليلى|Nərmin=نرمين|Günay=غوناي|Səbinə=سابينا|Hafizə=حافظة|Aminə=آمنة|Sumeyyə=سمية"
    "|Nuray=نوراي|Elnarə=إلنارة"
)
AZ_SURNAMES = _pairs(
    "Məmmədov=محمدوف|Əliyev=علييف|Hüseynov=حسينوف|Həsənov=حسنوف|Quliyev=قولييف"
    "|İsmayılov=إسماعيلوف|Abbasov=عباسوف|Cəfərov=جعفروف|Rzayev=رضاييف|Kərimov=كريموف"
    "|Mustafayev=مصطفاييف|Nəsirov=نصيروف|Orucov=أوروجوف|Bağırov=باغيروف|Əhmədov=أحمدوف"
    "|Süleymanov=سليمانوف|Qasımov=قاسموف|Rəhimov=رحيموف|Vəliyev=فالييف|Nağıyev=ناغييف"
)

TR_MALE = _pairs(
    "Muhammed=محمد|Ömer=عمر|Yusuf=يوسف|Ali=علي|Hamza=حمزة|İbrahim=إبراهيم|Abdullah=عبد الله"
    "|Bilal=بلال|Ahmet=أحمد|Mustafa=مصطفى|Enes=أنس|Talha=طلحة|Muaz=معاذ|Halid=خالد|Osman=عثمان"
    "|Yasin=ياسين|Hüseyin=حسين|Emir=أمير"
)
TR_FEMALE = _pairs(
    "Ayşe=عائشة|Fatma=فاطمة|Zeynep=زينب|Meryem=مريم|Hatice=خديجة|Esma=أسماء|Rabia=رابعة"
    "|Elif=أليف|Sümeyye=سمية|Hafsa=حفصة|Rukiye=رقية|Büşra=بشرى|Kübra=كبرى|Havva=حواء"
    "|Safiye=صفية|Zehra=زهراء"
)
TR_SURNAMES = _pairs(
    "Yılmaz=يلماز|Kaya=كايا|Demir=دمير|Şahin=شاهين|Çelik=تشيليك|Yıldız=يلدز|Yıldırım=يلدريم"
    "|Öztürk=أوزتورك|Aydın=آيدن|Özdemir=أوزدمير|Arslan=أرسلان|Doğan=دوغان|Kılıç=كيليتش"
    "|Aslan=أصلان|Çetin=تشتين|Kara=كارا|Koç=كوتش|Kurt=كورت|Özkan=أوزكان|Şimşek=شيمشك"
)

UZ_MALE = _pairs(
    "Muhammad=محمد|Abdulloh=عبد الله|Ibrohim=إبراهيم|Yusuf=يوسف|Umar=عمر|Ali=علي|Hamza=حمزة"
    "|Usmon=عثمان|Ismoil=إسماعيل|Asadbek=أسد بيك|Javohir=جواهر|Sardor=سردار|Jasur=جاسور"
    "|Bobur=بابور|Abubakr=أبو بكر|Muso=موسى"
)
UZ_FEMALE = _pairs(
    "Oysha=عائشة|Fotima=فاطمة|Maryam=مريم|Zaynab=زينب|Xadicha=خديجة|Mohinur=ماه نور"
    "|Sevara=سيفارا|Dilnoza=دلنوزة|Madina=مدينة|Sumayya=سمية|Mubina=مبينة|Gulnoza=غلنوزة"
    "|Robiya=رابعة|Shahzoda=شهزادة|Ruqiya=رقية"
)
UZ_SURNAMES = _pairs(
    "Karimov=كريموف|Rahimov=رحيموف|Tursunov=تورسونوف|Yusupov=يوسوبوف|Abdullayev=عبد اللاييف"
    "|Ismoilov=إسماعيلوف|Qodirov=قاديروف|Ergashev=إرغاشيف|Xoliqov=خاليقوف|Sobirov=صابيروف"
    "|Nematov=نعمتوف|Aliyev=علييف|Toshmatov=طاشماتوف|Mirzayev=ميرزاييف|Hasanov=حسنوف"
    "|Rustamov=رستموف|Saidov=سعيدوف|Usmonov=عثمانوف"
)

KZ_MALE = _pairs(
    "Мұхаммед=محمد|Әли=علي|Омар=عمر|Юсуф=يوسف|Ибраһим=إبراهيم|Абдулла=عبد الله|Хамза=حمزة"
    "|Ерлан=يرلان|Нұрлан=نورلان|Асылхан=أسيلخان|Ислам=إسلام|Әділ=عادل|Мұса=موسى|Айдос=آيدوس"
    "|Дәулет=دولت"
)
KZ_FEMALE = _pairs(
    "Айша=عائشة|Фатима=فاطمة|Мәриям=مريم|Зейнеп=زينب|Хадиша=خديجة|Аружан=أروجان|Айгерім=أيغريم"
    "|Асель=أسيل|Мадина=مدينة|Дана=دانا|Сұмая=سمية|Әмина=آمنة|Жансая=جانسايا|Інжу=إنجو"
)
KZ_SURNAMES = _pairs(
    "Ахметов=أحمتوف|Жұмабаев=جومابايف|Нұрланов=نورلانوف|Серікбаев=سيريكبايف|Тоқтаров=توقتاروف"
    "|Оспанов=أوسبانوف|Омаров=عمروف|Исаев=عيساييف|Байжанов=بايجانوف|Сәрсенбаев=سارسنبايف"
    "|Қасымов=قاسموف|Мұхамеджанов=محمدجانوف|Әбдірахманов=عبد الرحمنوف|Сейітов=سيتوف"
    "|Ермеков=يرميكوف|Әлиев=علييف"
)

KG_MALE = _pairs(
    "Мухаммед=محمد|Али=علي|Умар=عمر|Юсуф=يوسف|Ибрагим=إبراهيم|Абдулла=عبد الله|Айбек=أيبك"
    "|Нурбек=نوربك|Азамат=أزامات|Бакыт=باقيت|Эрлан=إرلان|Исмаил=إسماعيل|Санжар=سنجر|Бекзат=بكزات"
)
KG_FEMALE = _pairs(
    "Айша=عائشة|Фатима=فاطمة|Марьям=مريم|Зайнаб=زينب|Хадича=خديجة|Айжан=أيجان|Нургуль=نورغول"
    "|Асель=أسيل|Жылдыз=جيلديز|Айпери=أيبيري|Мээрим=ميريم|Гулзат=غولزات|Сумая=سمية|Амина=آمنة"
)
KG_SURNAMES = _pairs(
    "Асанов=أسانوف|Токтогулов=توقتوغولوف|Мамытов=ماميتوف|Абдыкадыров=أبديكاديروف|Эсенов=إيسينوف"
    "|Жумабаев=جومابايف|Осмонов=عثمانوف|Турдубаев=توردوبايف|Ибраимов=إبرايموف|Сыдыков=صديقوف"
    "|Маматов=ماماتوف|Алиев=علييف|Султанов=سلطانوف|Абдраимов=أبدرايموف|Байматов=بايماتوف"
)

DE_MALE = _pairs(
    "Ibrahim=إبراهيم|Yusuf=يوسف|Adam=آدم|Elias=إلياس|Jonas=يوناس|Ali=علي|Omar=عمر|Musa=موسى"
    "|Leon=ليون|Noah=نوح|Hamza=حمزة|Bilal=بلال|Luca=لوكا"
)
DE_FEMALE = _pairs(
    "Maryam=مريم|Aisha=عائشة|Sarah=سارة|Lea=ليا|Hanna=هانا|Amina=آمنة|Fatima=فاطمة|Safiya=صفية"
    "|Sophie=صوفي|Lina=لينا|Hafsa=حفصة|Emilia=إميليا"
)
DE_SURNAMES = _pairs(
    "Müller=مولر|Schmidt=شميت|Schneider=شنايدر|Fischer=فيشر|Weber=فيبر|Meyer=ماير|Wagner=فاغنر"
    "|Becker=بيكر|Hoffmann=هوفمان|Schulz=شولتس|Koch=كوخ|Richter=ريشتر|Klein=كلاين|Wolf=وولف"
    "|Neumann=نويمان|Schwarz=شفارتس|Krause=كراوزه|Zimmermann=تسيمرمان"
)

FR_MALE = _pairs(
    "Adam=آدم|Yanis=يانيس|Ibrahim=إبراهيم|Mohamed=محمد|Ilyes=إلياس|Yacine=ياسين"
    "|Souleymane=سليمان|Ismaël=إسماعيل|Nathan=ناتان|Rayan=ريان|Zakaria=زكريا|Bilal=بلال"
)
FR_FEMALE = _pairs(
    "Inès=إيناس|Aïcha=عائشة|Maryam=مريم|Sarah=سارة|Lina=لينا|Nour=نور|Safia=صفية|Assia=آسيا"
    "|Khadija=خديجة|Myriam=مريم|Hafsa=حفصة|Chloé=كلوي|Léa=ليا"
)
FR_SURNAMES = _pairs(
    "Martin=مارتان|Bernard=برنار|Dubois=دوبوا|Thomas=توما|Robert=روبير|Richard=ريشار|Petit=بوتي"
    "|Durand=دوران|Leroy=لوروا|Moreau=مورو|Benali=بن علي|Haddad=حداد|Mansouri=منصوري"
    "|Bouzid=بوزيد|Diallo=ديالو|Traoré=تراوري|Lefèvre=لوفيفر|Garcia=غارسيا|Meziane=مزيان"
)

FI_MALE = _pairs(
    "Ilias=إلياس|Adam=آدم|Yusuf=يوسف|Eino=إينو|Omar=عمر|Elias=إلياس|Aleksi=ألكسي|Ibrahim=إبراهيم"
    "|Musa=موسى"
)
FI_FEMALE = _pairs(
    "Aino=آينو|Ella=إيلا|Aisha=عائشة|Maryam=مريم|Sara=سارة|Amina=آمنة|Emilia=إميليا|Helmi=هلمي"
    "|Hafsa=حفصة"
)
FI_SURNAMES = _pairs(
    "Virtanen=فيرتانن|Korhonen=كورهونن|Mäkinen=ماكينن|Nieminen=نيمينن|Mäkelä=ماكيلا"
    "|Hämäläinen=هامالاينن|Laine=لاينه|Heikkinen=هيكينن|Koskinen=كوسكينن|Järvinen=يارفينن"
    "|Ahmed=أحمد|Hassan=حسن"
)

SE_MALE = _pairs(
    "Omar=عمر|Adam=آدم|Ibrahim=إبراهيم|Elias=إلياس|Yusuf=يوسف|Ali=علي|Hamza=حمزة|William=ويليام"
    "|Lucas=لوكاس|Abdullah=عبد الله"
)
SE_FEMALE = _pairs(
    "Sara=سارة|Maryam=مريم|Amina=آمنة|Hanna=هانا|Aisha=عائشة|Fatima=فاطمة|Elsa=إلسا|Maja=مايا"
    "|Safiya=صفية"
)
SE_SURNAMES = _pairs(
    "Andersson=أندرسون|Johansson=يوهانسون|Karlsson=كارلسون|Nilsson=نيلسون|Eriksson=إريكسون"
    "|Larsson=لارسون|Olsson=أولسون|Persson=بيرسون|Ali=علي|Mohammed=محمد|Hassan=حسن|Abdi=عبدي"
    "|Osman=عثمان"
)

UA_MALE = _pairs(
    "Юсуф=يوسف|Умар=عمر|Ібрагім=إبراهيم|Адам=آدم|Давид=داود|Максим=ماكسيم|Ілля=إيليا|Алі=علي"
    "|Мухаммад=محمد|Абдулла=عبد الله|Марк=مارك|Тимур=تيمور"
)
UA_FEMALE = _pairs(
    "Марія=ماريا|Софія=صوفيا|Анна=آنا|Аміна=آمنة|Аїша=عائشة|Зайнаб=زينب|Фатіма=فاطمة"
    "|Вікторія=فيكتوريا|Дарина=دارينا|Єва=إيفا|Сафія=صفية|Хадіжа=خديجة"
)
UA_SURNAMES = _pairs(
    "Шевченко=شيفتشينكو|Коваленко=كوفالينكو|Бондаренко=بوندارينكو|Ткаченко=تكاتشينكو"
    "|Кравченко=كرافتشينكو|Мельник=ميلنيك|Бойко=بويكو|Коваль=كوفال|Олійник=أولينيك"
    "|Лисенко=ليسينكو|Руденко=رودينكو|Савченко=سافتشينكو|Аблаєв=أبلاييف|Усеінов=أوسينوف"
    "|Меметов=ميميتوف|Умеров=عميروف"
)

BY_MALE = _pairs(
    "Максим=ماكسيم|Артём=أرتيوم|Иван=إيفان|Юсуф=يوسف|Умар=عمر|Адам=آدم|Али=علي|Ибрагим=إبراهيم"
    "|Даниил=دانييل|Тимур=تيمور"
)
BY_FEMALE = _pairs(
    "Анна=آنا|Мария=ماريا|София=صوفيا|Дарья=داريا|Алиса=أليسا|Аиша=عائشة|Амина=آمنة"
    "|Марьям=مريم|Полина=بولينا|Виктория=فيكتوريا"
)
BY_SURNAMES = _pairs(
    "Новик=نوفيك|Ковалёв=كوفاليوف|Козлов=كوزلوف|Жук=جوك|Шевчук=شيفتشوك|Карпович=كاربوفيتش"
    "|Сидорович=سيدوروفيتش|Ермаков=يرماكوف|Морозов=موروزوف|Волков=فولكوف|Мельников=ميلنيكوف"
    "|Кравцов=كرافتسوف"
)

GE_MALE = _pairs(
    "მუჰამედ=محمد|უმარ=عمر|ადამ=آدم|იბრაჰიმ=إبراهيم|ჰამზა=حمزة|იუსუფ=يوسف|ალი=علي|ისა=عيسى"
    "|მუსა=موسى|ბილალ=بلال|ზელიმხან=زليمخان"
)
GE_FEMALE = _pairs(
    "ხადიჯა=خديجة|ფატიმა=فاطمة|ამინა=آمنة|მარიამ=مريم|აიშა=عائشة|ზალინა=زالينا|მადინა=مدينة"
    "|ხავა=حواء|ლეილა=ليلى|მილანა=ميلانا"
)
GE_KIST = _pairs(
    "მარგოშვილი=مارغوشفيلي|ქავთარაშვილი=كافتاراشفيلي|აჩიშვილი=أتشيشفيلي|ბაღაკაშვილი=باغاكاشفيلي"
    "|ცისკარიშვილი=تسيسكاريشفيلي|გელაშვილი=غيلاشفيلي"
)
GE_GEORGIAN = _pairs(
    "ბერიძე=بيريدزه|კაპანაძე=كابانادزه|მაისურაძე=مايسورادزه|გიორგაძე=غيورغادزه|ლომიძე=لوميدزه"
    "|ბოლქვაძე=بولكفادزه"
)

DZ_MALE = _pairs(
    "Mohamed=محمد|Youcef=يوسف|Abdellah=عبد الله|Brahim=إبراهيم|Omar=عمر|Amine=أمين|Yacine=ياسين"
    "|Riad=رياض|Bilal=بلال|Ilyes=إلياس"
)
DZ_FEMALE = _pairs(
    "Fatima=فاطمة|Aicha=عائشة|Meriem=مريم|Khadidja=خديجة|Amina=أمينة|Sarah=سارة|Yasmine=ياسمين"
    "|Nour=نور|Imane=إيمان|Asma=أسماء"
)
DZ_SURNAMES = _pairs(
    "Benali=بن علي|Bouzid=بوزيد|Meziane=مزيان|Haddad=حداد|Belkacem=بلقاسم|Benaissa=بن عيسى"
    "|Cherif=شريف|Saidi=سعيدي|Bouaziz=بوعزيز|Amrani=عمراني|Khelifi=خليفي|Mansouri=منصوري"
)


def _one(label, nisba, surnames, birthplaces, languages, weight=1) -> tuple[Group, ...]:
    return (Group(label, weight, nisba, surnames, tuple(birthplaces), tuple(languages)),)


NATIONALITIES: dict[str, Nationality] = {
    n.code: n
    for n in [
        Nationality(
            "RU",
            "Russia",
            "Cyrl",
            "ru",
            True,
            "slavic",
            RU_MALE,
            RU_FEMALE,
            (
                Group(
                    "Dagestan",
                    6,
                    "الداغستاني",
                    RU_DAGESTAN,
                    ("Makhachkala", "Khasavyurt", "Buynaksk", "Derbent", "Kizlyar"),
                    ("ru", "av"),
                ),
                Group(
                    "Chechnya",
                    3,
                    "الشيشاني",
                    RU_CHECHNYA,
                    ("Grozny", "Gudermes", "Urus-Martan", "Argun", "Shali"),
                    ("ru", "ce"),
                ),
                Group(
                    "other regions",
                    1,
                    "الروسي",
                    RU_OTHER,
                    ("Moscow", "Kazan", "Penza", "Stavropol", "Astrakhan"),
                    ("ru",),
                ),
            ),
        ),
        Nationality(
            "TJ",
            "Tajikistan",
            "Cyrl",
            "tg",
            True,
            "slavic",
            TJ_MALE,
            TJ_FEMALE,
            _one(
                "Tajikistan",
                "الطاجيكي",
                TJ_SURNAMES,
                ("Dushanbe", "Khujand", "Kulob", "Bokhtar", "Istaravshan"),
                ("tg", "ru"),
            ),
        ),
        Nationality(
            "AZ",
            "Azerbaijan",
            "Latn",
            "az",
            True,
            "azerbaijani",
            AZ_MALE,
            AZ_FEMALE,
            _one(
                "Azerbaijan",
                "الأذري",
                AZ_SURNAMES,
                ("Baku", "Sumqayit", "Ganja", "Zaqatala", "Qusar", "Balakən"),
                ("az",),
            ),
        ),
        Nationality(
            "TR",
            "Türkiye",
            "Latn",
            "tr",
            False,
            "",
            TR_MALE,
            TR_FEMALE,
            _one(
                "Türkiye",
                "التركي",
                TR_SURNAMES,
                ("Istanbul", "Ankara", "Gaziantep", "Konya", "Adıyaman", "Şanlıurfa"),
                ("tr",),
            ),
        ),
        Nationality(
            "UZ",
            "Uzbekistan",
            "Latn",
            "uz",
            True,
            "",
            UZ_MALE,
            UZ_FEMALE,
            _one(
                "Uzbekistan",
                "الأوزبكي",
                UZ_SURNAMES,
                ("Tashkent", "Andijan", "Namangan", "Fergana", "Samarkand"),
                ("uz", "ru"),
            ),
        ),
        Nationality(
            "KZ",
            "Kazakhstan",
            "Cyrl",
            "kk",
            True,
            "slavic",
            KZ_MALE,
            KZ_FEMALE,
            _one(
                "Kazakhstan",
                "الكازاخي",
                KZ_SURNAMES,
                ("Almaty", "Shymkent", "Aktobe", "Atyrau", "Zhezkazgan"),
                ("kk", "ru"),
            ),
        ),
        Nationality(
            "KG",
            "Kyrgyzstan",
            "Cyrl",
            "ky",
            True,
            "slavic",
            KG_MALE,
            KG_FEMALE,
            _one(
                "Kyrgyzstan",
                "القرغيزي",
                KG_SURNAMES,
                ("Bishkek", "Osh", "Jalal-Abad", "Kara-Suu", "Nookat"),
                ("ky", "ru"),
            ),
        ),
        Nationality(
            "DE",
            "Germany",
            "Latn",
            "de",
            False,
            "",
            DE_MALE,
            DE_FEMALE,
            _one(
                "Germany",
                "الألماني",
                DE_SURNAMES,
                ("Berlin", "Hamburg", "Dinslaken", "Wolfsburg", "Bonn", "Solingen"),
                ("de",),
            ),
        ),
        Nationality(
            "FR",
            "France",
            "Latn",
            "fr",
            False,
            "",
            FR_MALE,
            FR_FEMALE,
            _one(
                "France",
                "الفرنسي",
                FR_SURNAMES,
                ("Paris", "Toulouse", "Nice", "Lunel", "Strasbourg", "Roubaix"),
                ("fr",),
            ),
        ),
        Nationality(
            "GE",
            "Georgia",
            "Zyyy",
            "ka",
            False,
            "",
            GE_MALE,
            GE_FEMALE,
            (
                Group(
                    "Pankisi", 3, "الشيشاني", GE_KIST, ("Duisi", "Jokolo", "Birkiani"), ("ka", "ce")
                ),
                Group(
                    "Adjara and Tbilisi",
                    1,
                    "الجورجي",
                    GE_GEORGIAN,
                    ("Tbilisi", "Batumi", "Khulo"),
                    ("ka",),
                ),
            ),
        ),
        Nationality(
            "UA",
            "Ukraine",
            "Cyrl",
            "uk",
            True,
            "ukrainian",
            UA_MALE,
            UA_FEMALE,
            _one(
                "Ukraine",
                "الأوكراني",
                UA_SURNAMES,
                ("Kyiv", "Kharkiv", "Odesa", "Zaporizhzhia", "Simferopol"),
                ("uk", "ru"),
            ),
        ),
        Nationality(
            "BY",
            "Belarus",
            "Cyrl",
            "ru",
            True,
            "slavic",
            BY_MALE,
            BY_FEMALE,
            _one(
                "Belarus",
                "البيلاروسي",
                BY_SURNAMES,
                ("Minsk", "Gomel", "Brest", "Vitebsk", "Mogilev"),
                ("be", "ru"),
            ),
        ),
        Nationality(
            "FI",
            "Finland",
            "Latn",
            "fi",
            False,
            "",
            FI_MALE,
            FI_FEMALE,
            _one(
                "Finland",
                "الفنلندي",
                FI_SURNAMES,
                ("Helsinki", "Espoo", "Turku", "Vantaa"),
                ("fi",),
            ),
        ),
        Nationality(
            "SE",
            "Sweden",
            "Latn",
            "sv",
            False,
            "",
            SE_MALE,
            SE_FEMALE,
            _one(
                "Sweden",
                "السويدي",
                SE_SURNAMES,
                ("Stockholm", "Gothenburg", "Malmö", "Örebro", "Borlänge"),
                ("sv",),
            ),
        ),
        Nationality(
            "DZ",
            "Algeria",
            "Arab",
            "ar",
            False,
            "",
            DZ_MALE,
            DZ_FEMALE,
            _one(
                "Algeria",
                "الجزائري",
                DZ_SURNAMES,
                ("Algiers", "Oran", "Constantine", "Annaba", "Sétif"),
                ("ar", "fr"),
            ),
        ),
    ]
}


# -- gender and patronymics ----------------------------------------------------------------

_FEMININE_ENDINGS = (
    ("ов", "ова"),
    ("ев", "ева"),
    ("ёв", "ёва"),
    ("єв", "єва"),
    ("ин", "ина"),
    ("ov", "ova"),
    ("ev", "eva"),
)


def feminine_surname(native: str, arabic: str) -> Pair:
    """The feminine form of a gendered surname (Алиев → Алиева, علييف → علييفا)."""
    for male, female in _FEMININE_ENDINGS:
        if native.endswith(male):
            return native[: -len(male)] + female, arabic + "ا"
    return native, arabic


def patronymic(father: str, sex: str, style: str) -> str:
    """A patronymic from the father's given name in the home state's convention, or ""."""
    if style == "azerbaijani":
        return f"{father} {'qızı' if sex == 'female' else 'oğlu'}"
    if style not in ("slavic", "ukrainian"):
        return ""
    female_after_vowel = "ївна" if style == "ukrainian" else "евна"
    female_after_consonant = "івна" if style == "ukrainian" else "овна"
    last = father[-1].lower()
    if last in "йь":
        return father[:-1] + ("евич" if sex == "male" else female_after_vowel)
    if last in "аяиіеоуыӣӯжшчщц":
        return father + ("евич" if sex == "male" else female_after_vowel)
    return father + ("ович" if sex == "male" else female_after_consonant)


def kunya(given_arabic: str, nisba: str, *, female: bool = False) -> str:
    """ "Abu/Umm" + a name + an origin label: أبو حمزة الداغستاني, أم عمر الشيشانية."""
    if female:
        return f"أم {given_arabic} {nisba}ة"
    return f"أبو {given_arabic} {nisba}"


# -- transliteration -----------------------------------------------------------------------

_CYRILLIC_ICAO = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    # Tajik, Kazakh, Kyrgyz, Ukrainian and Belarusian letters
    "ғ": "gh",
    "ӣ": "i",
    "қ": "q",
    "ӯ": "u",
    "ҳ": "h",
    "ҷ": "j",
    "ә": "a",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "і": "i",
    "ї": "i",
    "є": "ie",
    "ґ": "g",
    "ў": "u",
}
# The spelling older passports and the press use: "Hadijat Aliyeva" for "Хадижат Алиева".
_CYRILLIC_PRESS = {
    **_CYRILLIC_ICAO,
    "х": "h",
    "ж": "j",
    "й": "y",
    "ю": "yu",
    "я": "ya",
    "щ": "sch",
    "ъ": "",
    "є": "ye",
}
_UKRAINIAN = {"г": "h", "и": "y"}
_VOWELS = set("аеёиоуыэюяіїєәөұүӣӯ")

_GEORGIAN = {
    "ა": "a",
    "ბ": "b",
    "გ": "g",
    "დ": "d",
    "ე": "e",
    "ვ": "v",
    "ზ": "z",
    "თ": "t",
    "ი": "i",
    "კ": "k",
    "ლ": "l",
    "მ": "m",
    "ნ": "n",
    "ო": "o",
    "პ": "p",
    "ჟ": "zh",
    "რ": "r",
    "ს": "s",
    "ტ": "t",
    "უ": "u",
    "ფ": "p",
    "ქ": "k",
    "ღ": "gh",
    "ყ": "q",
    "შ": "sh",
    "ჩ": "ch",
    "ც": "ts",
    "ძ": "dz",
    "წ": "ts",
    "ჭ": "ch",
    "ხ": "kh",
    "ჯ": "j",
    "ჰ": "h",
}
_LATIN_FOLD = {"ı": "i", "İ": "I", "ə": "a", "Ə": "A", "ʻ": "", "ß": "ss"}
_GERMAN_FOLD = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}


def _cased(source_char: str, latin: str) -> str:
    return latin[:1].upper() + latin[1:] if source_char.isupper() and latin else latin


def _cyrillic_to_latin(text: str, table: dict[str, str], *, press: bool) -> str:
    out, previous = [], " "
    for index, char in enumerate(text):
        lower = char.lower()
        if press and lower == "д" and text[index + 1 : index + 2].lower() == "ж":
            latin = ""  # дж → j
        elif (
            press
            and lower == "е"
            and (previous in _VOWELS or previous in "ьъ" or not previous.isalpha())
        ):
            latin = "ye"
        else:
            latin = table.get(lower, char)
        out.append(_cased(char, latin))
        previous = lower
    return "".join(out)


def _georgian_to_latin(text: str) -> str:
    words = ("".join(_GEORGIAN.get(char, char) for char in word) for word in text.split(" "))
    return " ".join(word[:1].upper() + word[1:] for word in words)


def _fold_latin(text: str, language: str) -> str:
    if language == "de":
        text = "".join(_GERMAN_FOLD.get(char, char) for char in text)
    text = "".join(_LATIN_FOLD.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def latin_variants(text: str, nationality: Nationality) -> list[str]:
    """Latin spellings of a home-state name, passport form first, without duplicates."""
    if nationality.script == "Cyrl":
        table = {**_CYRILLIC_ICAO, **(_UKRAINIAN if nationality.language == "uk" else {})}
        press = {**_CYRILLIC_PRESS, **(_UKRAINIAN if nationality.language == "uk" else {})}
        found = [
            _cyrillic_to_latin(text, table, press=False),
            _cyrillic_to_latin(text, press, press=True),
        ]
    elif nationality.script == "Zyyy":
        found = [_georgian_to_latin(text)]
    else:
        found = [_fold_latin(text, nationality.language), text]
    return [
        variant
        for index, variant in enumerate(found)
        if variant not in found[:index] and variant != text
    ]


def arabic_variant(text: str) -> str:
    """How a second clerk might write the same Arabic name (ة→ه, hamza dropped on alif)."""
    words = []
    for word in text.split(" "):
        word = word.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
        if word.endswith("ة"):
            word = word[:-1] + "ه"
        words.append(word)
    return " ".join(words)


def script_of(text: str) -> str:
    """The PersonName.script for `text` (Georgian and other scripts are "Zyyy")."""
    return detect_script(text)
