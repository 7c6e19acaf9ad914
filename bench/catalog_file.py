"""Write a large, realistic catalog file: ``python bench/catalog_file.py OUT [--stores 50] [--products 100000]``.

Stores in several GST states with valid GSTINs; products named from 60 kinds of grocery and electronics goods,
10 qualities, 40 brands and pack sizes, so one item word is in about 1 name of 60 (a real catalogue's spread).
Used by the products bench scenario and to time ``s2cart catalog load`` (bench/README.md).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from s2cart.domain.catalog.gst import gstin_check_character

ITEMS = (
    ("Atta", "Staples", "1101", "5"), ("Basmati Rice", "Staples", "1006", "5"), ("Toor Dal", "Staples", "0713", "5"),
    ("Ghee", "Dairy", "0405", "5"), ("Garam Masala", "Masala", "0910", "5"), ("Paneer", "Dairy", "0406", "5"),
    ("Sona Masoori Rice", "Staples", "1006", "5"), ("Sugar", "Staples", "1701", "5"), ("Tea", "Beverages", "0902", "5"),
    ("Turmeric Powder", "Masala", "0910", "5"), ("Filter Coffee", "Beverages", "0901", "5"),
    ("Jaggery", "Staples", "1701", "5"), ("Poha", "Staples", "1904", "5"), ("Suji", "Staples", "1103", "5"),
    ("Besan", "Staples", "1106", "5"), ("Rajma", "Staples", "0713", "5"), ("Kabuli Chana", "Staples", "0713", "5"),
    ("Moong Dal", "Staples", "0713", "5"), ("Urad Dal", "Staples", "0713", "5"), ("Ragi Flour", "Staples", "1102", "5"),
    ("Oats", "Breakfast", "1104", "18"), ("Muesli", "Breakfast", "1904", "18"), ("Honey", "Breakfast", "0409", "5"),
    ("Mango Pickle", "Pantry", "2001", "18"), ("Papad", "Pantry", "1905", "5"), ("Namkeen", "Snacks", "2106", "18"),
    ("Biscuits", "Snacks", "1905", "18"), ("Cookies", "Snacks", "1905", "18"), ("Noodles", "Snacks", "1902", "18"),
    ("Pasta", "Pantry", "1902", "18"), ("Tomato Ketchup", "Pantry", "2103", "18"),
    ("Mixed Fruit Jam", "Pantry", "2007", "18"),
    ("Butter", "Dairy", "0405", "5"), ("Cheese Slices", "Dairy", "0406", "5"), ("Curd", "Dairy", "0403", "0"),
    ("Toned Milk", "Dairy", "0401", "0"), ("Lassi", "Dairy", "0403", "5"), ("Mango Juice", "Beverages", "2202", "18"),
    ("Bath Soap", "Personal Care", "3401", "18"), ("Shampoo", "Personal Care", "3305", "18"),
    ("Detergent Powder", "Home Care", "3402", "18"), ("Toothpaste", "Personal Care", "3306", "18"),
    ("Wireless Headphones", "Electronics", "8518", "18"), ("Bluetooth Speaker", "Electronics", "8518", "18"),
    ("USB-C Charger", "Electronics", "8504", "18"), ("Charging Cable", "Electronics", "8544", "18"),
    ("Laptop", "Laptops", "8471", "18"), ("Wireless Mouse", "Electronics", "8471", "18"),
    ("Keyboard", "Electronics", "8471", "18"), ("LED Monitor", "Electronics", "8528", "18"),
    ("Wi-Fi Router", "Electronics", "8517", "18"), ("Earbuds", "Electronics", "8518", "18"),
    ("Smart Watch", "Wearables", "8517", "18"), ("Power Bank", "Electronics", "8507", "18"),
    ("Tablet", "Electronics", "8471", "18"), ("Smartphone", "Mobiles", "8517", "18"),
    ("Beard Trimmer", "Appliances", "8510", "18"), ("Steam Iron", "Appliances", "8516", "18"),
    ("Electric Kettle", "Appliances", "8516", "18"), ("Mixer Grinder", "Appliances", "8509", "18"),
)  # fmt: skip
QUALITIES = ("Classic", "Premium", "Organic", "Gold", "Lite", "Select", "Royal", "Daily", "Value", "Fresh")
BRANDS = tuple(
    f"{a}{b}"
    for a in ("Sri ", "Nava", "Desi ", "Ganga ", "Kaveri ")
    for b in ("Gold", "Tara", "Amrit", "Veda", "Jyoti", "Kiran", "Sagar", "Mitra")
)
STATES = (("29", "Bengaluru"), ("27", "Mumbai"), ("33", "Chennai"), ("07", "New Delhi"), ("19", "Kolkata"), ("36", "Hyderabad"), ("24", "Ahmedabad"), ("08", "Jaipur"))  # fmt: skip
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def gstin(state: str, rng: random.Random) -> str:
    pan = "".join(rng.choice(LETTERS) for _ in range(3)) + "C" + rng.choice(LETTERS) + f"{rng.randrange(10000):04d}"
    body = f"{state}{pan}{rng.choice(LETTERS)}1Z"
    return body + gstin_check_character(body)


def search_words() -> tuple[list[str], list[str]]:
    """One-word item names (lower case) and qualities: what the products scenario searches for."""
    items = sorted({item.split()[-1 if item.endswith(("Rice", "Dal")) else 0].lower() for item, *_ in ITEMS})
    return items, [quality.lower() for quality in QUALITIES]


# How a shop's one-word searches spread (products_search_1): most ask for page 1 by relevance; the words follow
# Zipf's law (the n-th most asked word is asked 1/n as often), item words ("rice", "laptop") before qualities
# ("premium"), each group in a fixed shuffled order.
SEARCH_ORDERINGS = (("", 0.55), ("price", 0.20), ("-price", 0.15), ("name", 0.05), ("-name", 0.05))
SEARCH_PAGES = ((1, 0.70), (2, 0.20), (3, 0.10))


def shop_searches(seed: int = 18) -> list[tuple[float, str]]:
    """(share, path) of every one-word search the scenario sends, most asked first; the shares sum to 1."""
    rng = random.Random(seed)  # noqa: S311 (a made-up popularity order, reproducible)
    items, qualities = search_words()
    rng.shuffle(items)
    rng.shuffle(qualities)
    weighted = []
    for rank, word in enumerate(items + qualities, start=1):
        for ordering, ordering_share in SEARCH_ORDERINGS:
            for page, page_share in SEARCH_PAGES:
                path = f"/api/auth/products/?q={word}" + (f"&ordering={ordering}" if ordering else "")
                weighted.append((ordering_share * page_share / rank, path + (f"&page={page}" if page > 1 else "")))
    total = sum(share for share, _ in weighted)
    return sorted(((share / total, path) for share, path in weighted), reverse=True)


def catalog(stores: int, products: int, seed: int = 18, prefix: str = "store_") -> dict[str, list[dict[str, object]]]:
    rng = random.Random(seed)  # noqa: S311 (made-up data, reproducible)
    store_entries: list[dict[str, object]] = []
    for n in range(1, stores + 1):
        state, city = STATES[n % len(STATES)]
        store_entries.append(
            {"id": f"{prefix}{n:03d}", "name": f"Bench Mart {n:03d}", "city": city, "state_code": state,
             "gstin": gstin(state, rng), "description": f"Groceries and electronics in {city}."}
        )  # fmt: skip
    product_entries: list[dict[str, object]] = []
    for n in range(1, products + 1):
        item, category, hsn, gst = ITEMS[rng.randrange(len(ITEMS))]
        quality, brand = rng.choice(QUALITIES), rng.choice(BRANDS)
        price = rng.randrange(1_000, 5_000_000)
        product_entries.append(
            {
                "store_id": f"{prefix}{1 + n % stores:03d}",
                "id": f"prod_{n:06d}",
                "name": f"{brand} {item} {quality} {rng.choice((100, 250, 500, 1000))}",
                "price": f"{price / 100:.2f}",
                "mrp": f"{price * 1.2 / 100:.2f}",
                "stock": None if n % 7 == 0 else rng.randrange(0, 200),
                "category": category,
                "brand": brand,
                "description": f"{quality} {item.lower()} from {brand}, packed fresh.",
                "images": [f"https://cdn.s2cart.example/p/{n}.jpg"],
                "hsn_code": hsn,
                "gst_rate": gst,
            }
        )
    return {"stores": store_entries, "products": product_entries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--stores", type=int, default=50)
    parser.add_argument("--products", type=int, default=100_000)
    args = parser.parse_args()
    args.out.write_text(json.dumps(catalog(args.stores, args.products)), encoding="utf-8")
    print(f"wrote {args.out}: {args.stores} stores, {args.products} products")


if __name__ == "__main__":
    main()
