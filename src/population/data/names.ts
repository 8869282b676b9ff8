/**
 * Given and family names by world region, so that an actor's name fits the time zone they work in.
 * A region is chosen from the actor's IANA zone prefix (see `regionForZone`).
 */

export type NameRegion = 'anglo' | 'latam' | 'germanic' | 'romance' | 'south_asia' | 'east_asia' | 'generic';

export interface NameSet {
  readonly given: readonly string[];
  readonly family: readonly string[];
}

export const NAMES: Readonly<Record<NameRegion, NameSet>> = {
  anglo: {
    given: ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Chris', 'Karen', 'Daniel', 'Emily', 'Matthew', 'Ashley', 'Anthony', 'Megan', 'Mark', 'Rachel', 'Steven', 'Laura', 'Andrew', 'Hannah', 'Kevin', 'Olivia', 'Brian', 'Grace', 'Ryan', 'Chloe', 'Jacob', 'Amelia', 'Ethan', 'Sophie', 'Noah', 'Isla', 'Liam', 'Ava', 'Owen', 'Zoe'],
    family: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner', 'Parker', 'Collins', 'Edwards', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan', 'Cooper', 'Reed', 'Bailey', 'Kelly', 'Howard', 'Ward', 'Cox', 'Brooks', 'Wood', 'Bennett', 'Gray', 'Hughes'],
  },
  latam: {
    given: ['Lucas', 'Gabriel', 'Mateus', 'Pedro', 'Rafael', 'Gustavo', 'Felipe', 'Bruno', 'Thiago', 'Diego', 'Ana', 'Beatriz', 'Camila', 'Fernanda', 'Juliana', 'Larissa', 'Mariana', 'Patricia', 'Renata', 'Valentina', 'Sofia', 'Isabela', 'Carlos', 'Luis', 'Jorge', 'Alejandro', 'Daniela', 'Gabriela'],
    family: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa', 'Garcia', 'Martinez', 'Hernandez', 'Gonzalez', 'Ramirez', 'Torres', 'Flores', 'Rivera'],
  },
  germanic: {
    given: ['Lukas', 'Leon', 'Finn', 'Jonas', 'Paul', 'Felix', 'Maximilian', 'Niklas', 'Tobias', 'Jan', 'Stefan', 'Andreas', 'Anna', 'Lena', 'Lea', 'Hannah', 'Julia', 'Laura', 'Katharina', 'Sophie', 'Marie', 'Johanna', 'Sabine', 'Claudia', 'Lars', 'Erik', 'Sven', 'Ingrid', 'Astrid', 'Pieter', 'Sanne', 'Daan'],
    family: ['Muller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch', 'Richter', 'Klein', 'Wolf', 'Schroder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Kruger', 'Hartmann', 'Lange', 'Werner', 'Krause', 'Jansen', 'de Vries', 'Bakker', 'Visser', 'Larsen', 'Nilsson', 'Johansson', 'Lindberg'],
  },
  romance: {
    given: ['Louis', 'Hugo', 'Arthur', 'Jules', 'Gabriel', 'Raphael', 'Emma', 'Chloe', 'Camille', 'Manon', 'Ines', 'Clara', 'Marco', 'Luca', 'Giulia', 'Francesca', 'Alessandro', 'Chiara', 'Pablo', 'Javier', 'Lucia', 'Carmen', 'Elena', 'Sergio'],
    family: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Garcia', 'Fernandez', 'Lopez', 'Sanchez', 'Perez', 'Moreno'],
  },
  south_asia: {
    given: ['Aarav', 'Vivaan', 'Aditya', 'Arjun', 'Rohan', 'Rahul', 'Vikram', 'Karthik', 'Sanjay', 'Amit', 'Priya', 'Ananya', 'Diya', 'Isha', 'Kavya', 'Meera', 'Neha', 'Pooja', 'Shreya', 'Divya', 'Suresh', 'Ramesh', 'Deepak', 'Nikhil', 'Lakshmi', 'Anjali'],
    family: ['Sharma', 'Verma', 'Gupta', 'Patel', 'Singh', 'Kumar', 'Reddy', 'Rao', 'Iyer', 'Nair', 'Menon', 'Joshi', 'Mehta', 'Shah', 'Desai', 'Agarwal', 'Bansal', 'Chopra', 'Kapoor', 'Malhotra', 'Pillai', 'Krishnan', 'Bhat', 'Kulkarni'],
  },
  east_asia: {
    given: ['Haruto', 'Yuto', 'Sota', 'Ren', 'Takumi', 'Kenji', 'Hiroshi', 'Daiki', 'Yui', 'Aoi', 'Hina', 'Sakura', 'Yuna', 'Mei', 'Akiko', 'Naoko', 'Wei', 'Jun', 'Min', 'Jie', 'Ji-ho', 'Seo-yeon', 'Hyun', 'Ming'],
    family: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato', 'Yoshida', 'Yamada', 'Sasaki', 'Matsumoto', 'Inoue', 'Kimura', 'Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Kim', 'Park', 'Choi'],
  },
  generic: {
    given: ['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Jamie', 'Robin', 'Ali', 'Omar', 'Fatima', 'Leila', 'Noor', 'Yusuf', 'Amir', 'Sara', 'David', 'Maya', 'Noa', 'Eitan'],
    family: ['Haddad', 'Khalil', 'Mansour', 'Nasser', 'Hassan', 'Cohen', 'Levi', 'Mizrahi', 'Friedman', 'Novak', 'Kowalski', 'Nowak', 'Horvat', 'Popescu', 'Ivanova', 'Petrov', 'Okafor', 'Mensah', 'Mwangi', 'Naidoo'],
  },
};

const ZONE_REGIONS: readonly [RegExp, NameRegion][] = [
  [/^America\/(Sao_Paulo|Argentina|Bogota|Lima|Santiago|Mexico_City|Caracas|Montevideo)/, 'latam'],
  [/^(America|Pacific\/Honolulu|US\/)/, 'anglo'],
  [/^Europe\/(London|Dublin)/, 'anglo'],
  [/^Australia\/|^Pacific\/Auckland/, 'anglo'],
  [/^Europe\/(Berlin|Vienna|Zurich|Amsterdam|Stockholm|Oslo|Copenhagen|Helsinki|Brussels)/, 'germanic'],
  [/^Europe\/(Paris|Rome|Madrid|Lisbon|Milan|Monaco)/, 'romance'],
  [/^Asia\/(Kolkata|Calcutta|Karachi|Dhaka|Colombo|Kathmandu)/, 'south_asia'],
  [/^Asia\/(Tokyo|Seoul|Shanghai|Hong_Kong|Taipei|Singapore)/, 'east_asia'],
];

export function regionForZone(zone: string): NameRegion {
  for (const [pattern, region] of ZONE_REGIONS) if (pattern.test(zone)) return region;
  return 'generic';
}
