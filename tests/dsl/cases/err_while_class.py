while running:
    step()
class Config:
    name = "x"

    def method(self):
        return self.name
@dataclass
class Decorated(Base):
    field: int = 0
x = Config()
