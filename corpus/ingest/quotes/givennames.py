"""Given names that English-language news writes almost only for one gender: the weakest evidence of a
person's gender, read only when the article gives none of its own (no courtesy title, gendered role word
or pronoun after the name). Names often given to either ("Dana", "Lee", "Jordan", "Kelly", "Chris",
"Pat") are in neither list, and a list only ever decides between candidates: it never names anyone."""

from __future__ import annotations

from ..speakers import wordset

MALE_NAMES = wordset(
    """
    aaron adam alan albert alexander andrew anthony antonio arthur barack barry benjamin bernard bernie
    bill billy bob bobby brad bradley brandon brett brian bruce bryan carl carlos charles charlie chad
    christopher chuck clarence craig dan daniel darrell dave david dennis derek dick don donald doug douglas
    duncan dwight earl ed eddie edward eric ernest eugene frank fred frederick gary gene george gerald glenn
    gordon greg gregory harold harry henry herman howard ian isaac jack jacob jake james jason jeb jeff
    jeffrey jeremy jerry jesse jim jimmy joe joel john johnny jon jonathan jorge jose joseph josh joshua
    juan justin keith ken kenneth kevin kurt larry lawrence louis luis marco marcus mario mark martin matt
    matthew michael mike mitch mitt nathan neil nicholas nick noah norman omar oscar patrick paul peter phil
    philip ralph randy ray raymond richard rick rob robert roger roland ron ronald roy rudy russell ryan
    samuel scott sean sergio seth stanley stephen steve steven stuart ted terrence thomas tim timothy todd
    tom tommy tony travis trey tyler victor vincent walter wayne william willie zach
    """
)
FEMALE_NAMES = wordset(
    """
    abigail alice alicia allison amanda amy andrea angela ann anna anne arianna ashley barbara betsy betty
    beth brenda carly carol caroline carolyn catherine cheryl christina christine claire cynthia deborah
    debbie debra denise diana diane donna dorothy elaine elizabeth ellen emily emma erin eva evelyn gloria
    grace hannah heather helen hillary irene jane janet janice jennifer jessica jill joan joanne joyce
    judith judy julia julie karen katherine kathleen kathy katie kimberly laura lauren linda lisa lori
    louise lucy madeleine margaret maria marie marilyn martha mary megan melania melissa michelle monica
    nancy natalie nicole nikki olivia pamela patricia paula rachel rebecca rosa ruth sandra sara sarah
    sharon shirley sophia stephanie susan suzanne tammy teresa theresa tiffany valerie victoria wendy
    """
)
